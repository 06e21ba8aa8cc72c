// The AVX2 copy of t-SNE's forces (tsne_forces.h), built with -mavx2 on x86-64 only and used by
// tsne.cc where the CPU has AVX2: each 4-lane vector operation is one instruction instead of two.
// The same IEEE operations in the same order as the baseline copy, so the same bytes.
#define TSNE_NS avx2
#include "tsne_forces.h"

namespace fmnist {
TsneKernels tsneKernelsAvx2() { return avx2::kernels(); }
}  // namespace fmnist
