// One iteration of Barnes-Hut t-SNE in native code: tree build, repulsion and attraction on
// several threads (tsne_pool.h), gradient, delta-bar-delta update and centring. It repeats
// src/core/embed/tsne.ts, spTree.ts and bhRepulsion.ts operation for operation, in float64, with
// the same summation order: each point's forces are computed by one thread, each of the 32 runs'
// sums of q is added in point order and the runs' sums in run order, and the t-SNE files are
// compiled with -ffp-contract=off and without -ffast-math, so the layout is the same bytes as the
// JavaScript path on any number of threads. The calling thread builds the tree while the helpers
// start on the attraction, which needs no tree.
//
// JS API (src/node/embed/tsneNative.ts):
//   tsneWorkspace(dim, rowStart: Int32Array, cols: Int32Array, values: Float64Array, simd) -> handle
//       copies and checks the symmetric P (CSR) of n = rowStart.length - 1 points; simd: use the
//       AVX2 copy of the forces where the CPU has it (tsne_avx2.cc)
//   tsneStep(handle, y, update, gains: Float64Array, order: Int32Array, theta, exaggeration,
//            momentum, learningRate, threads) -> sum of q
//       one iteration in place on y, update, gains ([n, dim]) and order (the tree's point order),
//       on `threads` threads (this one included; helpers start at the first step and stay until
//       the handle is released or collected)
//   tsneRelease(handle)   stops the helpers and frees the workspace (later steps throw)
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <memory>
#include <new>
#include <thread>
#include <vector>

#include "napi_args.h"
#define TSNE_NS baseline
#include "tsne_forces.h"
#include "tsne_pool.h"
#include "tsne_tree.h"

#ifdef FMNIST_TSNE_AVX2
namespace fmnist {
TsneKernels tsneKernelsAvx2();
}
#endif

namespace {

using fmnist::fail;
using fmnist::typedArray;

constexpr int kChunks = 32;  // REPULSION_CHUNKS of bhRepulsion.ts

struct Workspace {
  std::unique_ptr<fmnist::TsnePool> pool;
  bool released = false;
  int dim = 2;
  int n = 0;
  fmnist::TsneKernels kernels;
  std::vector<int32_t> rowStart, cols;
  std::vector<double> values, repulsion, attraction;
  std::vector<uint8_t> seen;
  double chunkSums[kChunks] = {};
  fmnist::TsneTree<2> tree2;
  fmnist::TsneTree<3> tree3;
};

struct Params {
  double theta, exaggeration, momentum, learningRate;
  int threads;
};

// Math.sign(a) !== Math.sign(b) in JavaScript (±0 have one sign; NaN differs from everything).
inline bool signsDiffer(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return true;
  return (a > 0) - (a < 0) != (b > 0) - (b < 0);
}

inline int chunkStart(int chunk, int n) { return static_cast<int>(static_cast<int64_t>(chunk) * n / kChunks); }

// What the tasks of one iteration share. Tasks 0 .. kChunks-1: the attraction of a range of
// points (needs no tree); kChunks .. 2 kChunks-1: the repulsion of a run, once the calling thread
// has built the tree.
template <int D>
struct Iteration {
  Workspace* w;
  fmnist::TsneTree<D>* tree;
  double* y;
  int32_t* order;
  double theta2;
  bool built = false;
  std::atomic<bool> treeDone{false};
};

template <int D>
void buildTree(void* context) {
  auto& it = *static_cast<Iteration<D>*>(context);
  try {
    it.tree->build(it.y, it.w->n, it.order);
    it.tree->pointOrder(it.order);
    it.built = true;
  } catch (const std::bad_alloc&) {
    it.built = false;
  }
  it.treeDone.store(true);
}

template <int D>
void runTask(void* context, int task) {
  auto& it = *static_cast<Iteration<D>*>(context);
  Workspace& w = *it.w;
  const fmnist::TsneKernels& k = w.kernels;
  if (task < kChunks) {
    (D == 2 ? k.attraction2 : k.attraction3)(w.rowStart.data(), w.cols.data(), w.values.data(), it.y,
                                             chunkStart(task, w.n), chunkStart(task + 1, w.n), w.attraction.data());
    return;
  }
  while (!it.treeDone.load()) std::this_thread::yield();
  if (!it.built) return;
  const int c = task - kChunks;
  w.chunkSums[c] = (D == 2 ? k.repulsion2 : k.repulsion3)(it.tree->packed.data(), it.tree->firstChild.data(), it.y,
                                                          it.order, chunkStart(c, w.n), chunkStart(c + 1, w.n),
                                                          it.theta2, w.repulsion.data());
}

// Returns false when the tree could not grow (out of memory).
template <int D>
bool iterate(Workspace& w, fmnist::TsneTree<D>& tree, double* y, double* update, double* gains, int32_t* order,
             const Params& p, double* sumQOut) {
  const int n = w.n;
  if (!w.pool || w.pool->requested() != p.threads - 1) {
    w.pool.reset();
    w.pool = std::make_unique<fmnist::TsnePool>(p.threads - 1, 2 * kChunks);
  }
  Iteration<D> it;
  it.w = &w;
  it.tree = &tree;
  it.y = y;
  it.order = order;
  it.theta2 = p.theta * p.theta;
  w.pool->run(&runTask<D>, &it, &buildTree<D>);
  if (!it.built) return false;
  const double* rep = w.repulsion.data();
  const double* attr = w.attraction.data();
  double sumQ = 0;
  for (int c = 0; c < kChunks; c++) sumQ += w.chunkSums[c];
  // Tsne.gradient and Tsne.step: grad = 4 (exaggeration * F_attr - F_rep / Z), then delta-bar-delta.
  const size_t total = static_cast<size_t>(n) * D;
  for (size_t t = 0; t < total; t++) {
    const double g = 4 * (p.exaggeration * attr[t] - rep[t] / sumQ);
    const double u = update[t];
    double gain = signsDiffer(g, u) ? gains[t] + 0.2 : gains[t] * 0.8;
    if (gain < 0.01) gain = 0.01;
    gains[t] = gain;
    const double next = p.momentum * u - p.learningRate * gain * g;
    update[t] = next;
    y[t] += next;
  }
  // Tsne.center.
  for (int d = 0; d < D; d++) {
    double mean = 0;
    for (int i = 0; i < n; i++) mean += y[static_cast<size_t>(i) * D + d];
    mean /= n;
    for (int i = 0; i < n; i++) y[static_cast<size_t>(i) * D + d] -= mean;
  }
  *sumQOut = sumQ;
  return true;
}

bool args(napi_env env, napi_callback_info info, size_t expected, napi_value* argv) {
  size_t argc = expected;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  return argc == expected;
}

napi_value TsneWorkspace(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  int64_t dim;
  bool simd;
  int32_t *rowStart, *cols;
  double* values;
  size_t rowsLen, colsLen, valuesLen;
  if (!args(env, info, 5, argv) || !fmnist::intArg(env, argv[0], &dim) || (dim != 2 && dim != 3) ||
      !typedArray(env, argv[1], napi_int32_array, &rowStart, &rowsLen) || rowsLen < 2 ||
      !typedArray(env, argv[2], napi_int32_array, &cols, &colsLen) ||
      !typedArray(env, argv[3], napi_float64_array, &values, &valuesLen) || colsLen != valuesLen ||
      napi_get_value_bool(env, argv[4], &simd) != napi_ok) {
    return fail(env, "tsneWorkspace: bad arguments");
  }
  const int64_t n = static_cast<int64_t>(rowsLen) - 1;
  if (n > (1 << 26)) return fail(env, "tsneWorkspace: too many points");
  if (rowStart[0] != 0 || static_cast<size_t>(rowStart[n]) > colsLen) return fail(env, "tsneWorkspace: bad rows");
  for (int64_t i = 0; i < n; i++)
    if (rowStart[i + 1] < rowStart[i]) return fail(env, "tsneWorkspace: bad rows");
  for (int32_t e = 0; e < rowStart[n]; e++)
    if (cols[e] < 0 || cols[e] >= n) return fail(env, "tsneWorkspace: bad column");
  auto* w = new (std::nothrow) Workspace();
  if (!w) return fail(env, "tsneWorkspace: out of memory");
  w->kernels = fmnist::baseline::kernels();
#ifdef FMNIST_TSNE_AVX2
  if (simd && __builtin_cpu_supports("avx2")) w->kernels = fmnist::tsneKernelsAvx2();
#endif
  w->dim = static_cast<int>(dim);
  w->n = static_cast<int>(n);
  try {
    w->rowStart.assign(rowStart, rowStart + rowsLen);
    w->cols.assign(cols, cols + rowStart[n]);
    w->values.assign(values, values + rowStart[n]);
    w->repulsion.resize(static_cast<size_t>(n) * dim);
    w->attraction.resize(static_cast<size_t>(n) * dim);
    w->seen.resize(static_cast<size_t>(n));
  } catch (const std::bad_alloc&) {
    delete w;
    return fail(env, "tsneWorkspace: out of memory");
  }
  napi_value handle;
  auto finalize = [](napi_env, void* data, void*) { delete static_cast<Workspace*>(data); };
  if (napi_create_external(env, w, finalize, nullptr, &handle) != napi_ok) {
    delete w;
    return fail(env, "tsneWorkspace: cannot create the handle");
  }
  return handle;
}

napi_value TsneStep(napi_env env, napi_callback_info info) {
  napi_value argv[10];
  void* data;
  double *y, *update, *gains;
  int32_t* order;
  size_t yLen, updateLen, gainsLen, orderLen;
  Params p;
  int64_t threads;
  if (!args(env, info, 10, argv) || napi_get_value_external(env, argv[0], &data) != napi_ok ||
      !typedArray(env, argv[1], napi_float64_array, &y, &yLen) ||
      !typedArray(env, argv[2], napi_float64_array, &update, &updateLen) ||
      !typedArray(env, argv[3], napi_float64_array, &gains, &gainsLen) ||
      !typedArray(env, argv[4], napi_int32_array, &order, &orderLen) ||
      napi_get_value_double(env, argv[5], &p.theta) != napi_ok ||
      napi_get_value_double(env, argv[6], &p.exaggeration) != napi_ok ||
      napi_get_value_double(env, argv[7], &p.momentum) != napi_ok ||
      napi_get_value_double(env, argv[8], &p.learningRate) != napi_ok || !fmnist::intArg(env, argv[9], &threads)) {
    return fail(env, "tsneStep: bad arguments");
  }
  Workspace& w = *static_cast<Workspace*>(data);
  if (w.released) return fail(env, "tsneStep: the workspace was released");
  const size_t size = static_cast<size_t>(w.n) * w.dim;
  if (yLen != size || updateLen != size || gainsLen != size || orderLen != static_cast<size_t>(w.n)) {
    return fail(env, "tsneStep: arrays do not match the workspace");
  }
  // The insertion order must be a permutation (a repeated point would loop the tree's lists).
  std::fill(w.seen.begin(), w.seen.end(), 0);
  for (int m = 0; m < w.n; m++) {
    if (order[m] < 0 || order[m] >= w.n || w.seen[order[m]]) return fail(env, "tsneStep: order is no permutation");
    w.seen[order[m]] = 1;
  }
  p.threads = static_cast<int>(std::min<int64_t>(std::max<int64_t>(threads, 1), 64));
  double sumQ;
  bool done = false;
  try {
    done = w.dim == 2 ? iterate<2>(w, w.tree2, y, update, gains, order, p, &sumQ)
                      : iterate<3>(w, w.tree3, y, update, gains, order, p, &sumQ);
  } catch (const std::exception&) {
    done = false;
  }
  if (!done) return fail(env, "tsneStep: out of memory");
  napi_value result;
  napi_create_double(env, sumQ, &result);
  return result;
}

napi_value TsneRelease(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  void* data;
  if (!args(env, info, 1, argv) || napi_get_value_external(env, argv[0], &data) != napi_ok) {
    return fail(env, "tsneRelease: bad arguments");
  }
  // Stops the helper threads and frees the copy of P and the tree now rather than at collection.
  Workspace& w = *static_cast<Workspace*>(data);
  w.released = true;
  w.pool.reset();
  w = Workspace{};
  w.released = true;
  return nullptr;
}

}  // namespace

void fmnist::registerTsne(napi_env env, napi_value exports) {
  exportFunctions(env, exports,
                  {{"tsneWorkspace", TsneWorkspace}, {"tsneStep", TsneStep},
                   {"tsneRelease", TsneRelease}});
}
