// The AVX2 copy of the kNN kernel (knn_rows.h), built with -mavx2 on x86-64 only and used by knn.cc
// where the CPU has AVX2. The same IEEE operations in the same order as the baseline copy.
#define KNN_NS avx2
#include "knn_rows.h"

namespace fmnist {
KnnRowsKernel knnRowsAvx2() { return &avx2::knnRows; }
}  // namespace fmnist
