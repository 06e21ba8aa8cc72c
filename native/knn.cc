// Exact kNN candidates in native code (src/node/embed/knnNative.ts): fills the candidate heaps of
// a range of rows, split between threads (each thread owns its rows' heaps, so any split gives the
// same heaps). Every distance is the same double as in the JavaScript kernel (knn_rows.h), and
// src/core/embed/knn.ts reranks the candidates as for the JavaScript heaps: the same neighbours,
// the same bytes. Measures each pair from both ends (twice the arithmetic of the JavaScript
// kernel, which offers each pair to both rows) so that no two threads write one heap.
//
// JS API:
//   knnRows(x, norms: Float64Array, dim, kk, rowFrom, rowTo, heapD: Float64Array, heapI: Int32Array,
//           size: Int32Array, bound: Float64Array, threads)
//       x is [n, dim], the heaps [n, kk] with size and bound per row (bound: Infinity while not full)
#include <algorithm>
#include <cstdint>
#include <system_error>
#include <thread>
#include <vector>

#include "napi_args.h"
#define KNN_NS baseline
#include "knn_rows.h"

#ifdef FMNIST_KNN_AVX2
namespace fmnist {
KnnRowsKernel knnRowsAvx2();
}
#endif

namespace {

using fmnist::fail;
using fmnist::typedArray;

napi_value KnnRows(napi_env env, napi_callback_info info) {
  napi_value argv[11];
  size_t argc = 11;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  double *x, *norms, *heapD, *bound;
  int32_t *heapI, *size;
  size_t xLen, normsLen, heapDLen, heapILen, sizeLen, boundLen;
  int64_t dim, kk, rowFrom, rowTo, threads;
  if (argc != 11 || !typedArray(env, argv[0], napi_float64_array, &x, &xLen) ||
      !typedArray(env, argv[1], napi_float64_array, &norms, &normsLen) || !fmnist::intArg(env, argv[2], &dim) ||
      !fmnist::intArg(env, argv[3], &kk) || !fmnist::intArg(env, argv[4], &rowFrom) ||
      !fmnist::intArg(env, argv[5], &rowTo) || !typedArray(env, argv[6], napi_float64_array, &heapD, &heapDLen) ||
      !typedArray(env, argv[7], napi_int32_array, &heapI, &heapILen) ||
      !typedArray(env, argv[8], napi_int32_array, &size, &sizeLen) ||
      !typedArray(env, argv[9], napi_float64_array, &bound, &boundLen) || !fmnist::intArg(env, argv[10], &threads)) {
    return fail(env, "knnRows: bad arguments");
  }
  const int64_t n = static_cast<int64_t>(normsLen);
  if (dim < 1 || n < 2 || n > (1 << 30) || static_cast<int64_t>(xLen) != n * dim || kk < 1 || kk >= n ||
      static_cast<int64_t>(heapDLen) != n * kk || static_cast<int64_t>(heapILen) != n * kk ||
      static_cast<int64_t>(sizeLen) != n || static_cast<int64_t>(boundLen) != n || rowFrom < 0 || rowTo > n ||
      rowFrom > rowTo) {
    return fail(env, "knnRows: arrays do not match");
  }
  const fmnist::KnnJob job{x, norms, static_cast<int>(n), static_cast<int>(dim), static_cast<int>(kk),
                           heapD, heapI, size, bound};
  fmnist::KnnRowsKernel kernel = &fmnist::baseline::knnRows;
#ifdef FMNIST_KNN_AVX2
  if (__builtin_cpu_supports("avx2")) kernel = fmnist::knnRowsAvx2();
#endif
  const int parts = static_cast<int>(std::min<int64_t>(std::max<int64_t>(threads, 1), 64));
  const int64_t rows = rowTo - rowFrom;
  auto bounds = [&](int t) { return static_cast<int>(rowFrom + rows * t / parts); };
  std::vector<std::thread> helpers;
  int started = 1;
  try {
    for (; started < parts; started++) helpers.emplace_back(kernel, std::cref(job), bounds(started), bounds(started + 1));
  } catch (const std::system_error&) {
    // No thread to spare: the parts not started run here.
  }
  kernel(job, bounds(0), bounds(1));
  for (int t = started; t < parts; t++) kernel(job, bounds(t), bounds(t + 1));
  for (std::thread& t : helpers) t.join();
  return nullptr;
}

}  // namespace

void fmnist::registerKnn(napi_env env, napi_value exports) { exportFunctions(env, exports, {{"knnRows", KnnRows}}); }
