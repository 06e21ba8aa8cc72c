// One iteration of Barnes-Hut t-SNE in native code: tree build, repulsion and attraction on
// OpenMP threads, gradient, delta-bar-delta update and centring. It repeats
// src/core/embed/tsne.ts, spTree.ts and bhRepulsion.ts operation for operation, in float64, with
// the same summation order: each point's forces are computed by one thread, each of the 32 runs'
// sums of q is added in point order and the runs' sums in run order, and the t-SNE files are
// compiled with -ffp-contract=off and without -ffast-math, so the layout is the same bytes as the
// JavaScript path on any number of threads. The tree is built by one thread while the others
// start on the attraction, which needs no tree.
//
// JS API (src/node/embed/tsneNative.ts):
//   tsneWorkspace(dim, rowStart: Int32Array, cols: Int32Array, values: Float64Array, simd) -> handle
//       copies and checks the symmetric P (CSR) of n = rowStart.length - 1 points; simd: use the
//       AVX2 copy of the forces where the CPU has it (tsne_avx2.cc)
//   tsneStep(handle, y, update, gains: Float64Array, order: Int32Array, theta, exaggeration,
//            momentum, learningRate, threads) -> sum of q
//       one iteration in place on y, update, gains ([n, dim]) and order (the tree's point order);
//       threads 0 = OpenMP's default
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <new>
#include <vector>

#include "napi_args.h"
#define TSNE_NS baseline
#include "tsne_forces.h"
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

// Returns false when the tree could not grow (out of memory).
template <int D>
bool iterate(Workspace& w, fmnist::TsneTree<D>& tree, double* y, double* update, double* gains, int32_t* order,
             const Params& p, double* sumQOut) {
  const int n = w.n;
  const double theta2 = p.theta * p.theta;
  double* rep = w.repulsion.data();
  double* attr = w.attraction.data();
  const auto repulsionRun = D == 2 ? w.kernels.repulsion2 : w.kernels.repulsion3;
  const auto attractionRange = D == 2 ? w.kernels.attraction2 : w.kernels.attraction3;
  const int threads = p.threads > 0 ? p.threads : omp_get_max_threads();
  std::atomic<int> nextRange{0};
  std::atomic<bool> built{true};
#pragma omp parallel num_threads(threads)
  {
#pragma omp single nowait
    {
      try {
        tree.build(y, n, order);
        tree.pointOrder(order);
      } catch (const std::bad_alloc&) {
        built = false;
      }
    }
    for (int r; (r = nextRange.fetch_add(1)) < kChunks;) {
      attractionRange(w.rowStart.data(), w.cols.data(), w.values.data(), y, chunkStart(r, n), chunkStart(r + 1, n),
                      attr);
    }
#pragma omp barrier
    if (built) {
#pragma omp for schedule(dynamic, 1) nowait
      for (int c = 0; c < kChunks; c++) {
        w.chunkSums[c] = repulsionRun(tree.packed.data(), tree.firstChild.data(), y, order, chunkStart(c, n),
                                      chunkStart(c + 1, n), theta2, rep);
      }
    }
  }
  if (!built) return false;
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
  auto* w = new Workspace();
  w->kernels = fmnist::baseline::kernels();
#ifdef FMNIST_TSNE_AVX2
  if (simd && __builtin_cpu_supports("avx2")) w->kernels = fmnist::tsneKernelsAvx2();
#endif
  w->dim = static_cast<int>(dim);
  w->n = static_cast<int>(n);
  w->rowStart.assign(rowStart, rowStart + rowsLen);
  w->cols.assign(cols, cols + rowStart[n]);
  w->values.assign(values, values + rowStart[n]);
  w->repulsion.resize(static_cast<size_t>(n) * dim);
  w->attraction.resize(static_cast<size_t>(n) * dim);
  w->seen.resize(static_cast<size_t>(n));
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
  p.threads = static_cast<int>(std::min<int64_t>(std::max<int64_t>(threads, 0), 256));
  double sumQ;
  const bool done = w.dim == 2 ? iterate<2>(w, w.tree2, y, update, gains, order, p, &sumQ)
                               : iterate<3>(w, w.tree3, y, update, gains, order, p, &sumQ);
  if (!done) return fail(env, "tsneStep: out of memory for the tree");
  napi_value result;
  napi_create_double(env, sumQ, &result);
  return result;
}

}  // namespace

void fmnist::registerTsne(napi_env env, napi_value exports) {
  exportFunction(env, exports, "tsneWorkspace", TsneWorkspace);
  exportFunction(env, exports, "tsneStep", TsneStep);
}
