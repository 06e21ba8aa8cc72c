// The kernel of the native exact kNN (knn.cc): every row's squared distances to all other points
// through the expansion ‖a‖² + ‖b‖² − 2 a·b, offered to the row's bounded max-heap ordered by
// (distance, index). Each dot product is summed over the coordinates in order, one candidate per
// vector lane, so every distance is the same double as in src/core/embed/knnBlocks.ts (compiled
// without fused multiply-add), and each heap ends with the same candidates (the kk smallest by
// (distance, index) are one set, whatever order they are offered in). Compiled for the baseline
// and, on x86-64, for AVX2 (knn_avx2.cc); KNN_NS names the copy.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

namespace fmnist {

// One call's rows and the heaps (of all n rows, capacity kk each) that it fills.
struct KnnJob {
  const double* x;
  const double* norms;
  int n, dim, kk;
  double* heapD;
  int32_t* heapI;
  int32_t* size;
  double* bound;
};

using KnnRowsKernel = void (*)(const KnnJob& job, int rowFrom, int rowTo);

namespace KNN_NS {

// Offers candidate j at squared distance d to row `row` (the same heap as knnBlocks.ts' offer).
inline void offer(const KnnJob& h, int row, double d, int32_t j) {
  const int kk = h.kk;
  double* heapD = h.heapD + static_cast<int64_t>(row) * kk;
  int32_t* heapI = h.heapI + static_cast<int64_t>(row) * kk;
  const int s = h.size[row];
  if (s < kk) {
    int c = s;
    h.size[row] = s + 1;
    while (c > 0) {
      const int p = (c - 1) >> 1;
      const double pd = heapD[p];
      if (pd > d || (pd == d && heapI[p] > j)) break;
      heapD[c] = pd;
      heapI[c] = heapI[p];
      c = p;
    }
    heapD[c] = d;
    heapI[c] = j;
    if (s + 1 == kk) h.bound[row] = heapD[0];
    return;
  }
  if (d == heapD[0] && j > heapI[0]) return;
  int c = 0;
  for (;;) {
    const int l = 2 * c + 1;
    if (l >= kk) break;
    const int r = l + 1;
    int m = l;
    if (r < kk && (heapD[r] > heapD[l] || (heapD[r] == heapD[l] && heapI[r] > heapI[l]))) m = r;
    const double md = heapD[m];
    if (md < d || (md == d && heapI[m] < j)) break;
    heapD[c] = md;
    heapI[c] = heapI[m];
    c = m;
  }
  heapD[c] = d;
  heapI[c] = j;
  h.bound[row] = heapD[0];
}

constexpr int kBlock = 256;  // columns per transposed block (dim x kBlock doubles, in L2)
constexpr int kRows = 4;     // rows per register tile
constexpr int kCols = 8;     // columns per register tile

// Rows [rowFrom, rowTo) against every column.
inline void knnRows(const KnnJob& h, int rowFrom, int rowTo) {
  const int n = h.n, dim = h.dim;
  std::vector<double> bt(static_cast<size_t>(dim) * kBlock);
  for (int j0 = 0; j0 < n; j0 += kBlock) {
    const int cols = std::min(kBlock, n - j0);
    for (int c = 0; c < cols; c++)
      for (int d = 0; d < dim; d++) bt[static_cast<size_t>(d) * kBlock + c] = h.x[static_cast<int64_t>(j0 + c) * dim + d];
    for (int c = cols; c < kBlock; c++)
      for (int d = 0; d < dim; d++) bt[static_cast<size_t>(d) * kBlock + c] = 0;
    for (int i0 = rowFrom; i0 < rowTo; i0 += kRows) {
      const int rows = std::min(kRows, rowTo - i0);
      const double* a[kRows];
      for (int r = 0; r < kRows; r++) a[r] = h.x + static_cast<int64_t>(i0 + std::min(r, rows - 1)) * dim;
      for (int c0 = 0; c0 < cols; c0 += kCols) {
        double acc[kRows][kCols] = {};
        for (int d = 0; d < dim; d++) {
          const double* b = bt.data() + static_cast<size_t>(d) * kBlock + c0;
          for (int r = 0; r < kRows; r++) {
            const double ar = a[r][d];
            for (int c = 0; c < kCols; c++) acc[r][c] += ar * b[c];
          }
        }
        for (int r = 0; r < rows; r++) {
          const int i = i0 + r;
          const double ni = h.norms[i];
          for (int c = 0; c < kCols && c0 + c < cols; c++) {
            const int j = j0 + c0 + c;
            if (j == i) continue;
            const double dist = ni + h.norms[j] - 2 * acc[r][c];
            if (dist <= h.bound[i]) offer(h, i, dist, j);
          }
        }
      }
    }
  }
}

}  // namespace KNN_NS
}  // namespace fmnist
