// UMAP's batch-mode epochs in native code on several threads (src/core/embed/umapOptimize.ts is the
// reference): each task computes the moves of a fixed run of points from the positions at the start
// of the epoch and writes only those points' gradient rows, and the negative samples come from a
// generator keyed by (seed, epoch, point), so the layout is the same bytes on any number of threads.
// Adam's step then runs on the calling thread. The arithmetic repeats the JavaScript operation for
// operation (compiled with -ffp-contract=off, without -ffast-math); the bias corrections and the
// learning rate come from JavaScript. Only exp and log may round differently from V8's, so a layout
// matches the JavaScript one in quality, not in bytes.
//
// JS API (src/node/embed/umapNative.ts):
//   umapWorkspace(dim, rowStart: Int32Array, tail: Int32Array, epochsPerSample: Float64Array, a, b, seed)
//       -> handle (copies the edges, grouped by head, of n = rowStart.length - 1 points)
//   umapEpoch(handle, epoch, alpha, c1, c2, y, nextSample, nextNegative, gradient, moment1, moment2, threads)
//       one epoch in place on the arrays, on `threads` threads (this one included)
//   umapRelease(handle)   stops the helpers and frees the workspace (later epochs throw)
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <new>
#include <vector>

#include "napi_args.h"
#include "tsne_pool.h"

namespace {

using fmnist::fail;
using fmnist::typedArray;

constexpr int kTasks = 64;
constexpr double kClip = 4;
constexpr int kNegativeRate = 5;
constexpr double kBeta1 = 0.5;
constexpr double kBeta2 = 0.9;
constexpr double kEpsilon = 1e-7;

struct Workspace {
  std::unique_ptr<fmnist::TsnePool> pool;
  bool released = false;
  int dim = 2;
  int n = 0;
  double a = 0, b = 0;
  uint32_t seed = 0;
  std::vector<int32_t> rowStart, tail;
  std::vector<double> epochsPerSample;
};

struct Epoch {
  const Workspace* w;
  int epoch;
  const double* y;
  double *nextSample, *nextNegative, *gradient;
};

inline uint32_t hash32(uint32_t x) {
  x = (x ^ (x >> 16)) * 0x7feb352du;
  x = (x ^ (x >> 15)) * 0x846ca68bu;
  return x ^ (x >> 16);
}

inline double clip(double v) { return v > kClip ? kClip : v < -kClip ? -kClip : v; }

template <int D>
void gradients(const Epoch& ep, int from, int to) {
  const Workspace& w = *ep.w;
  const double* y = ep.y;
  const double a = w.a, b = w.b, twoAB = 2 * a * b, twoB = 2 * b;
  const uint64_t n = static_cast<uint64_t>(w.n);
  std::fill(ep.gradient + static_cast<size_t>(from) * D, ep.gradient + static_cast<size_t>(to) * D, 0.0);
  for (int i = from; i < to; i++) {
    uint32_t state = hash32(hash32(w.seed + static_cast<uint32_t>(ep.epoch) * 0x9e3779b9u) ^ static_cast<uint32_t>(i));
    const double* yi = y + static_cast<size_t>(i) * D;
    double* gi = ep.gradient + static_cast<size_t>(i) * D;
    for (int32_t e = w.rowStart[i]; e < w.rowStart[i + 1]; e++) {
      if (ep.nextSample[e] > ep.epoch) continue;
      const double* yj = y + static_cast<size_t>(w.tail[e]) * D;
      double d2 = 0;
      for (int d = 0; d < D; d++) d2 += (yi[d] - yj[d]) * (yi[d] - yj[d]);
      const double pb = d2 > 0 ? std::exp(b * std::log(d2)) : 0;
      const double pull = d2 > 0 ? (-twoAB * pb) / d2 / (a * pb + 1) : 0;
      for (int d = 0; d < D; d++) gi[d] += 2 * clip(pull * (yi[d] - yj[d]));
      ep.nextSample[e] += w.epochsPerSample[e];
      const double perNegative = w.epochsPerSample[e] / kNegativeRate;
      const double negatives = std::floor((ep.epoch - ep.nextNegative[e]) / perNegative);
      for (int p = 0; p < negatives; p++) {
        state += 0x6d2b79f5u;  // mulberry32, as src/core/random.ts
        uint32_t t = (state ^ (state >> 15)) * (state | 1u);
        t ^= t + (t ^ (t >> 7)) * (t | 61u);
        const uint32_t u = t ^ (t >> 14);
        const size_t r = static_cast<size_t>((static_cast<uint64_t>(u) * n) >> 32);
        const double* yr = y + r * D;
        double s2 = 0;
        for (int d = 0; d < D; d++) s2 += (yi[d] - yr[d]) * (yi[d] - yr[d]);
        if (s2 > 0) {
          const double push = twoB / ((0.001 + s2) * (a * std::exp(b * std::log(s2)) + 1));
          for (int d = 0; d < D; d++) gi[d] += clip(push * (yi[d] - yr[d]));
        } else if (r != static_cast<size_t>(i)) {
          for (int d = 0; d < D; d++) gi[d] += kClip;
        }
      }
      ep.nextNegative[e] += negatives * perNegative;
    }
  }
}

void runTask(void* context, int task) {
  const Epoch& ep = *static_cast<const Epoch*>(context);
  const int64_t n = ep.w->n;
  const int from = static_cast<int>(n * task / kTasks);
  const int to = static_cast<int>(n * (task + 1) / kTasks);
  if (ep.w->dim == 2)
    gradients<2>(ep, from, to);
  else
    gradients<3>(ep, from, to);
}

void nothing(void*) {}

bool args(napi_env env, napi_callback_info info, size_t expected, napi_value* argv) {
  size_t argc = expected;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  return argc == expected;
}

napi_value UmapWorkspace(napi_env env, napi_callback_info info) {
  napi_value argv[7];
  int64_t dim, seed;
  int32_t *rowStart, *tail;
  double* eps;
  size_t rowsLen, tailLen, epsLen;
  double a, b;
  if (!args(env, info, 7, argv) || !fmnist::intArg(env, argv[0], &dim) || (dim != 2 && dim != 3) ||
      !typedArray(env, argv[1], napi_int32_array, &rowStart, &rowsLen) || rowsLen < 2 ||
      !typedArray(env, argv[2], napi_int32_array, &tail, &tailLen) ||
      !typedArray(env, argv[3], napi_float64_array, &eps, &epsLen) || tailLen != epsLen ||
      napi_get_value_double(env, argv[4], &a) != napi_ok || napi_get_value_double(env, argv[5], &b) != napi_ok ||
      !fmnist::intArg(env, argv[6], &seed) || seed < 0 || seed > 0xffffffffLL) {
    return fail(env, "umapWorkspace: bad arguments");
  }
  const int64_t n = static_cast<int64_t>(rowsLen) - 1;
  // The JavaScript path draws negative samples exactly only below 2^21 points.
  if (n > (1 << 21)) return fail(env, "umapWorkspace: too many points");
  if (rowStart[0] != 0 || static_cast<size_t>(rowStart[n]) != tailLen) return fail(env, "umapWorkspace: bad rows");
  for (int64_t i = 0; i < n; i++)
    if (rowStart[i + 1] < rowStart[i]) return fail(env, "umapWorkspace: bad rows");
  for (size_t e = 0; e < tailLen; e++)
    if (tail[e] < 0 || tail[e] >= n) return fail(env, "umapWorkspace: bad tail");
  auto* w = new (std::nothrow) Workspace();
  if (!w) return fail(env, "umapWorkspace: out of memory");
  w->dim = static_cast<int>(dim);
  w->n = static_cast<int>(n);
  w->a = a;
  w->b = b;
  w->seed = static_cast<uint32_t>(seed);
  try {
    w->rowStart.assign(rowStart, rowStart + rowsLen);
    w->tail.assign(tail, tail + tailLen);
    w->epochsPerSample.assign(eps, eps + epsLen);
  } catch (const std::bad_alloc&) {
    delete w;
    return fail(env, "umapWorkspace: out of memory");
  }
  napi_value handle;
  auto finalize = [](napi_env, void* data, void*) { delete static_cast<Workspace*>(data); };
  if (napi_create_external(env, w, finalize, nullptr, &handle) != napi_ok) {
    delete w;
    return fail(env, "umapWorkspace: cannot create the handle");
  }
  return handle;
}

napi_value UmapEpoch(napi_env env, napi_callback_info info) {
  napi_value argv[12];
  void* data;
  int64_t epoch, threads;
  double alpha, c1, c2;
  double *y, *nextSample, *nextNegative, *gradient, *m, *v;
  size_t yLen, nsLen, nnLen, gLen, mLen, vLen;
  if (!args(env, info, 12, argv) || napi_get_value_external(env, argv[0], &data) != napi_ok ||
      !fmnist::intArg(env, argv[1], &epoch) || napi_get_value_double(env, argv[2], &alpha) != napi_ok ||
      napi_get_value_double(env, argv[3], &c1) != napi_ok || napi_get_value_double(env, argv[4], &c2) != napi_ok ||
      !typedArray(env, argv[5], napi_float64_array, &y, &yLen) ||
      !typedArray(env, argv[6], napi_float64_array, &nextSample, &nsLen) ||
      !typedArray(env, argv[7], napi_float64_array, &nextNegative, &nnLen) ||
      !typedArray(env, argv[8], napi_float64_array, &gradient, &gLen) ||
      !typedArray(env, argv[9], napi_float64_array, &m, &mLen) ||
      !typedArray(env, argv[10], napi_float64_array, &v, &vLen) || !fmnist::intArg(env, argv[11], &threads)) {
    return fail(env, "umapEpoch: bad arguments");
  }
  Workspace& w = *static_cast<Workspace*>(data);
  if (w.released) return fail(env, "umapEpoch: the workspace was released");
  const size_t size = static_cast<size_t>(w.n) * w.dim;
  if (yLen != size || gLen != size || mLen != size || vLen != size || nsLen != w.tail.size() ||
      nnLen != w.tail.size()) {
    return fail(env, "umapEpoch: arrays do not match the workspace");
  }
  const int helpers = static_cast<int>(std::min<int64_t>(std::max<int64_t>(threads, 1), 64)) - 1;
  try {
    if (!w.pool || w.pool->requested() != helpers) {
      w.pool.reset();
      w.pool = std::make_unique<fmnist::TsnePool>(helpers, kTasks);
    }
  } catch (const std::exception&) {
    return fail(env, "umapEpoch: cannot start threads");
  }
  Epoch ep{&w, static_cast<int>(epoch), y, nextSample, nextNegative, gradient};
  w.pool->run(&runTask, &ep, &nothing);
  for (size_t t = 0; t < size; t++) {
    m[t] = kBeta1 * m[t] + (1 - kBeta1) * gradient[t];
    v[t] = kBeta2 * v[t] + (1 - kBeta2) * gradient[t] * gradient[t];
    y[t] += (alpha * (m[t] / c1)) / (std::sqrt(v[t] / c2) + kEpsilon);
  }
  return nullptr;
}

napi_value UmapRelease(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  void* data;
  if (!args(env, info, 1, argv) || napi_get_value_external(env, argv[0], &data) != napi_ok) {
    return fail(env, "umapRelease: bad arguments");
  }
  Workspace& w = *static_cast<Workspace*>(data);
  w.pool.reset();
  w = Workspace{};
  w.released = true;
  return nullptr;
}

}  // namespace

void fmnist::registerUmap(napi_env env, napi_value exports) {
  exportFunctions(env, exports,
                  {{"umapWorkspace", UmapWorkspace}, {"umapEpoch", UmapEpoch}, {"umapRelease", UmapRelease}});
}
