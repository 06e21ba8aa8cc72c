// Native convolutions (part of the addon in addon.cc, registered by src/backend/nativeConv.ts):
// 2D convolutions for TF.js tensors computed by oneDNN (Debian's
// libdnnl 2.6), directly on the WASM backend's heap (NHWC data, HWIO filters), so a kernel
// needs no copies in or out. Primitives are created once per shape.
//
// JS API (all arrays Float32Array, shapes as [n, h, w, c] / [kh, kw, ci, co]):
//   forward(x, xShape, w, wShape, y, yShape, padTop, padLeft)
//   forwardBiasActivation(x, xShape, w, wShape, y, yShape, padTop, padLeft, bias, relu)
//                                         the same plus bias[co], then max(., 0) when relu
//   backwardData(dy, dyShape, w, wShape, dx, dxShape, padTop, padLeft)
//   backwardWeights(x, xShape, dy, dyShape, dw, dwShape, padTop, padLeft)
// Stride 1, no dilation. Bottom/right padding follows from the shapes.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "napi_args.h"
#include "oneapi/dnnl/dnnl.hpp"

using namespace dnnl;
using fmnist::fail;
using tag = memory::format_tag;
using dt = memory::data_type;

namespace {

engine& eng() {
  static engine e(engine::kind::cpu, 0);
  return e;
}
stream& strm() {
  static stream s(eng());
  return s;
}

struct Args {
  float* a;
  memory::dims aDims;  // NCHW order for oneDNN
  float* b;
  memory::dims bDims;
  float* out;
  memory::dims outDims;
  long padTop, padLeft;
};

bool dims4(napi_env env, napi_value v, memory::dims* out) {
  out->assign(4, 0);
  for (uint32_t i = 0; i < 4; i++) {
    napi_value e;
    int64_t d;
    if (napi_get_element(env, v, i, &e) != napi_ok || napi_get_value_int64(env, e, &d) != napi_ok) return false;
    (*out)[i] = d;
  }
  return true;
}

// NHWC shape -> NCHW dims; HWIO -> OIHW dims.
memory::dims nchw(const memory::dims& s) { return {s[0], s[3], s[1], s[2]}; }
memory::dims oihw(const memory::dims& s) { return {s[3], s[2], s[0], s[1]}; }

// Reads the first eight arguments; `extra` (if not null) receives the two after them.
bool parse(napi_env env, napi_callback_info info, Args* a, bool aIsFilter, bool bIsFilter, bool outIsFilter,
           napi_value* extra = nullptr) {
  const size_t expected = extra ? 10 : 8;
  size_t argc = 10;
  napi_value argv[10];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != expected) return false;
  size_t len;
  memory::dims s;
  if (!fmnist::floatArray(env, argv[0], &a->a, &len) || !dims4(env, argv[1], &s)) return false;
  a->aDims = aIsFilter ? oihw(s) : nchw(s);
  if (!fmnist::floatArray(env, argv[2], &a->b, &len) || !dims4(env, argv[3], &s)) return false;
  a->bDims = bIsFilter ? oihw(s) : nchw(s);
  if (!fmnist::floatArray(env, argv[4], &a->out, &len) || !dims4(env, argv[5], &s)) return false;
  a->outDims = outIsFilter ? oihw(s) : nchw(s);
  int64_t t, l;
  if (!fmnist::intArg(env, argv[6], &t) || !fmnist::intArg(env, argv[7], &l)) return false;
  a->padTop = t;
  a->padLeft = l;
  if (extra) {
    extra[0] = argv[8];
    extra[1] = argv[9];
  }
  return true;
}

memory::dims padsAfter(const memory::dims& src, const memory::dims& wei, const memory::dims& dst, long top, long left) {
  return {dst[2] - 1 + wei[2] - src[2] - top, dst[3] - 1 + wei[3] - src[3] - left};
}

// The cache key of a convolution's primitives: its three shapes and leading pads.
std::string shapeKey(const memory::dims& src, const memory::dims& wei, const memory::dims& dst, long top, long left) {
  std::string key;
  for (const auto* dims : {&src, &wei, &dst}) {
    for (auto d : *dims) key += std::to_string(d) + ",";
  }
  return key + std::to_string(top) + "," + std::to_string(left);
}

struct Prims {
  convolution_forward::primitive_desc fwd;
  convolution_forward fwdPrim;
  convolution_backward_data::primitive_desc bwdData;
  convolution_backward_data bwdDataPrim;
  convolution_backward_weights::primitive_desc bwdWeights;
  convolution_backward_weights bwdWeightsPrim;
  reorder toPacked;    // user hwio weights -> the forward primitive's layout
  reorder toPackedBd;  // user hwio weights -> the backward-data primitive's layout
  reorder fromPacked;  // packed diff weights -> user hwio
  memory packedW, packedWBd, packedDw;
};

std::map<std::string, std::unique_ptr<Prims>> cache;

Prims& prims(const memory::dims& src, const memory::dims& wei, const memory::dims& dst, long top, long left) {
  const std::string key = shapeKey(src, wei, dst, top, left);
  auto found = cache.find(key);
  if (found != cache.end()) return *found->second;
  memory::dims strides = {1, 1}, padL = {top, left}, padR = padsAfter(src, wei, dst, top, left);
  auto srcMd = memory::desc(src, dt::f32, tag::nhwc);
  auto dstMd = memory::desc(dst, dt::f32, tag::nhwc);
  auto weiAny = memory::desc(wei, dt::f32, tag::any);
  auto fwdDesc = convolution_forward::desc(prop_kind::forward_training, algorithm::convolution_direct, srcMd, weiAny,
                                           dstMd, strides, padL, padR);
  auto fwd = convolution_forward::primitive_desc(fwdDesc, eng());
  auto bdDesc = convolution_backward_data::desc(algorithm::convolution_direct, srcMd, weiAny, dstMd, strides, padL, padR);
  auto bd = convolution_backward_data::primitive_desc(bdDesc, eng(), fwd);
  auto bwDesc =
      convolution_backward_weights::desc(algorithm::convolution_direct, srcMd, weiAny, dstMd, strides, padL, padR);
  auto bw = convolution_backward_weights::primitive_desc(bwDesc, eng(), fwd);
  auto p = std::make_unique<Prims>(Prims{fwd, convolution_forward(fwd), bd, convolution_backward_data(bd), bw,
                                         convolution_backward_weights(bw), reorder(), reorder(), reorder(),
                                         memory(fwd.weights_desc(), eng()), memory(bd.weights_desc(), eng()),
                                         memory(bw.diff_weights_desc(), eng())});
  auto userW = memory::desc(wei, dt::f32, tag::hwio);
  p->toPacked = reorder(memory(userW, eng(), nullptr), p->packedW);
  p->toPackedBd = reorder(memory(userW, eng(), nullptr), p->packedWBd);
  p->fromPacked = reorder(p->packedDw, memory(userW, eng(), nullptr));
  Prims& ref = *p;
  cache.emplace(key, std::move(p));
  return ref;
}

// A forward convolution with a bias and optionally ReLU applied inside oneDNN's kernel (a post-op),
// while the output is still in cache, instead of a second pass over it.
struct BiasPrims {
  convolution_forward::primitive_desc pd;
  convolution_forward prim;
  reorder toPacked;
  memory packedW;
};

std::map<std::string, std::unique_ptr<BiasPrims>> biasCache;

BiasPrims& biasPrims(const memory::dims& src, const memory::dims& wei, const memory::dims& dst, long top, long left,
                     bool relu) {
  const std::string key = (relu ? "relu:" : "linear:") + shapeKey(src, wei, dst, top, left);
  auto found = biasCache.find(key);
  if (found != biasCache.end()) return *found->second;
  memory::dims strides = {1, 1}, padL = {top, left}, padR = padsAfter(src, wei, dst, top, left);
  auto desc = convolution_forward::desc(
      prop_kind::forward_training, algorithm::convolution_direct, memory::desc(src, dt::f32, tag::nhwc),
      memory::desc(wei, dt::f32, tag::any), memory::desc({wei[0]}, dt::f32, tag::x),
      memory::desc(dst, dt::f32, tag::nhwc), strides, padL, padR);
  primitive_attr attr;
  if (relu) {
    post_ops ops;
    ops.append_eltwise(1.0f, algorithm::eltwise_relu, 0.0f, 0.0f);
    attr.set_post_ops(ops);
  }
  auto pd = convolution_forward::primitive_desc(desc, attr, eng());
  memory packedW(pd.weights_desc(), eng());
  auto p = std::make_unique<BiasPrims>(BiasPrims{
      pd, convolution_forward(pd), reorder(memory(memory::desc(wei, dt::f32, tag::hwio), eng(), nullptr), packedW),
      packedW});
  BiasPrims& ref = *p;
  biasCache.emplace(key, std::move(p));
  return ref;
}

// forwardBiasActivation(x, xShape, w, wShape, y, yShape, padTop, padLeft, bias, relu)
napi_value ForwardBiasActivation(napi_env env, napi_callback_info info) {
  Args a;
  napi_value extra[2];
  float* bias;
  size_t biasLen;
  bool relu;
  if (!parse(env, info, &a, false, true, false, extra) || !fmnist::floatArray(env, extra[0], &bias, &biasLen) ||
      napi_get_value_bool(env, extra[1], &relu) != napi_ok || static_cast<int64_t>(biasLen) != a.bDims[0]) {
    return fail(env, "forwardBiasActivation: bad arguments");
  }
  try {
    BiasPrims& p = biasPrims(a.aDims, a.bDims, a.outDims, a.padTop, a.padLeft, relu);
    memory userW(memory::desc(a.bDims, dt::f32, tag::hwio), eng(), a.b);
    p.toPacked.execute(strm(), userW, p.packedW);
    memory src(p.pd.src_desc(), eng(), a.a), dst(p.pd.dst_desc(), eng(), a.out);
    memory b(p.pd.bias_desc(), eng(), bias);
    p.prim.execute(strm(),
                   {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, p.packedW}, {DNNL_ARG_BIAS, b}, {DNNL_ARG_DST, dst}});
    strm().wait();
  } catch (const std::exception& e) {
    return fail(env, e.what());
  }
  return nullptr;
}

napi_value Forward(napi_env env, napi_callback_info info) {
  Args a;
  if (!parse(env, info, &a, false, true, false)) return fail(env, "forward: bad arguments");
  try {
    Prims& p = prims(a.aDims, a.bDims, a.outDims, a.padTop, a.padLeft);
    memory userW(memory::desc(a.bDims, dt::f32, tag::hwio), eng(), a.b);
    p.toPacked.execute(strm(), userW, p.packedW);
    memory src(p.fwd.src_desc(), eng(), a.a), dst(p.fwd.dst_desc(), eng(), a.out);
    p.fwdPrim.execute(strm(), {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, p.packedW}, {DNNL_ARG_DST, dst}});
    strm().wait();
  } catch (const std::exception& e) {
    return fail(env, e.what());
  }
  return nullptr;
}

napi_value BackwardData(napi_env env, napi_callback_info info) {
  Args a;  // a = dy, b = w, out = dx
  if (!parse(env, info, &a, false, true, false)) return fail(env, "backwardData: bad arguments");
  try {
    Prims& p = prims(a.outDims, a.bDims, a.aDims, a.padTop, a.padLeft);
    memory userW(memory::desc(a.bDims, dt::f32, tag::hwio), eng(), a.b);
    p.toPackedBd.execute(strm(), userW, p.packedWBd);
    memory dy(p.bwdData.diff_dst_desc(), eng(), a.a), dx(p.bwdData.diff_src_desc(), eng(), a.out);
    p.bwdDataPrim.execute(strm(), {{DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_WEIGHTS, p.packedWBd}, {DNNL_ARG_DIFF_SRC, dx}});
    strm().wait();
  } catch (const std::exception& e) {
    return fail(env, e.what());
  }
  return nullptr;
}

napi_value BackwardWeights(napi_env env, napi_callback_info info) {
  Args a;  // a = x, b = dy, out = dw
  if (!parse(env, info, &a, false, false, true)) return fail(env, "backwardWeights: bad arguments");
  try {
    Prims& p = prims(a.aDims, a.outDims, a.bDims, a.padTop, a.padLeft);
    memory x(p.bwdWeights.src_desc(), eng(), a.a), dy(p.bwdWeights.diff_dst_desc(), eng(), a.b);
    p.bwdWeightsPrim.execute(strm(), {{DNNL_ARG_SRC, x}, {DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_DIFF_WEIGHTS, p.packedDw}});
    memory userDw(memory::desc(a.outDims, dt::f32, tag::hwio), eng(), a.out);
    p.fromPacked.execute(strm(), p.packedDw, userDw);
    strm().wait();
  } catch (const std::exception& e) {
    return fail(env, e.what());
  }
  return nullptr;
}

}  // namespace

void fmnist::registerConv(napi_env env, napi_value exports) {
  exportFunctions(env, exports,
                  {{"forward", Forward}, {"forwardBiasActivation", ForwardBiasActivation},
                   {"backwardData", BackwardData}, {"backwardWeights", BackwardWeights}});
}
