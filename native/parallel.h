// Shared by the OpenMP kernels (heap_kernels.cc, batch_norm.cc): when to use the threads, and the
// per-channel affine pass of batch normalisation.
#pragma once
#include <omp.h>

#include <cstddef>
#include <cstdint>

namespace fmnist {

// Below this many elements a loop runs on one thread: waking the pool costs more than it saves.
constexpr size_t kParallelMin = 1 << 15;

inline int threadsFor(size_t elements) { return elements >= kParallelMin ? omp_get_max_threads() : 1; }

// out[r * C + c] = x[r * C + c] * k[c] + d[c] over `rows` rows, on all threads.
inline void affineRows(const float* x, float* out, int64_t rows, int64_t C, const float* k, const float* d) {
  const int threads = threadsFor(static_cast<size_t>(rows * C));
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t r = 0; r < rows; r++) {
    const float* in = x + r * C;
    float* o = out + r * C;
    for (int64_t c = 0; c < C; c++) o[c] = in[c] * k[c] + d[c];
  }
}

}  // namespace fmnist
