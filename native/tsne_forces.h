// The forces of one t-SNE iteration (tsne.cc), compiled twice: for the baseline instruction set
// (tsne.cc) and, on x86-64, for AVX2 (tsne_avx2.cc), chosen at run time. TSNE_NS names the copy.
//
// The repulsion walks the tree for 4 points at once (consecutive in the tree's depth-first order,
// so their walks mostly coincide), a lane per point: a node is visited while any lane still opens
// it, and each lane accepts, opens or ignores it as bhRepulsion.ts does for that point alone.
// Every lane thus adds the same terms in the same order as the scalar walk (the nodes a lane
// visits form its own depth-first order; other lanes only add exact zeros), and each lane's
// arithmetic is IEEE double, as in V8: the same bytes as the JavaScript path.
#pragma once
#include <cstdint>

namespace fmnist {

// One copy's entry points.
struct TsneKernels {
  double (*repulsion2)(const double*, const int32_t*, const double*, const int32_t*, int, int, double, double*);
  double (*repulsion3)(const double*, const int32_t*, const double*, const int32_t*, int, int, double, double*);
  void (*attraction2)(const int32_t*, const int32_t*, const double*, const double*, int, int, double*);
  void (*attraction3)(const int32_t*, const int32_t*, const double*, const double*, int, int, double*);
};

namespace TSNE_NS {

typedef double Lanes __attribute__((vector_size(32)));
typedef int64_t LaneMask __attribute__((vector_size(32)));
constexpr int kLanes = 4;
// Walk stack: at most 7 waiting siblings per level of a 48-deep octree, and the children pushed last.
constexpr int kStackSlots = 48 * 7 + 16;

// Repulsion on points idx[0 .. lanes): rep[i] = sum_j q_ij^2 (y_i - y_j), sums[l] = sum_j q_ij.
template <int D>
inline void repulsionGroup(const double* packed, const int32_t* firstChild, const double* y, const int32_t* idx,
                           int lanes, double theta2, double* rep, double* sums) {
  constexpr int S = D + 2;
  Lanes x[D];
  for (int l = 0; l < kLanes; l++) {
    const int i = idx[l < lanes ? l : 0];  // unused lanes repeat a point and stay masked off
    for (int d = 0; d < D; d++) x[d][l] = y[static_cast<int64_t>(i) * D + d];
  }
  const Lanes zero = {};
  const Lanes one = zero + 1;
  Lanes s = zero, f[D];
  for (int d = 0; d < D; d++) f[d] = zero;
  int32_t stackNode[kStackSlots];
  uint8_t stackMask[kStackSlots];
  int top = 0;
  stackNode[top] = 0;
  stackMask[top++] = static_cast<uint8_t>((1 << lanes) - 1);
  while (top > 0) {
    --top;
    const int node = stackNode[top];
    const int mask = stackMask[top];
    const double* o = packed + static_cast<int64_t>(node) * S;
    Lanes diff[D];
    for (int d = 0; d < D; d++) diff[d] = x[d] - o[d];
    Lanes dist2 = diff[0] * diff[0];
    for (int d = 1; d < D; d++) dist2 += diff[d] * diff[d];
    const int child = firstChild[node];
    int accepted = mask;
    if (child != -1) {
      const LaneMask summarised = o[D + 1] < theta2 * dist2;
      int bits = 0;
      for (int l = 0; l < kLanes; l++) bits |= static_cast<int>(summarised[l] & 1) << l;
      accepted = mask & bits;
      const int open = mask & ~bits;
      if (open != 0) {
        for (int k = child; k < child + (1 << D); k++) {
          if (packed[static_cast<int64_t>(k) * S + D] > 0) {
            stackNode[top] = k;
            stackMask[top++] = static_cast<uint8_t>(open);
          }
        }
      }
    }
    if (accepted == 0) continue;
    LaneMask on;
    for (int l = 0; l < kLanes; l++) on[l] = (accepted >> l) & 1 ? -1 : 0;
    Lanes c = zero + o[D];
    // A leaf at distance 0 is the point's own: it counts without it.
    if (child == -1) c = dist2 == zero ? c - 1 : c;
    const Lanes q = one / (one + dist2);
    const Lanes cq = c * q;
    const Lanes cqq = cq * q;
    s += on ? cq : zero;
    for (int d = 0; d < D; d++) f[d] += on ? cqq * diff[d] : zero;
  }
  for (int l = 0; l < lanes; l++) {
    for (int d = 0; d < D; d++) rep[static_cast<int64_t>(idx[l]) * D + d] = f[d][l];
    sums[l] = s[l];
  }
}

// Repulsion of the points order[from .. to); returns their sum of q, added in point order.
template <int D>
double repulsionRun(const double* packed, const int32_t* firstChild, const double* y, const int32_t* order, int from,
                    int to, double theta2, double* rep) {
  double sumQ = 0;
  double sums[kLanes];
  for (int m = from; m < to; m += kLanes) {
    const int lanes = to - m < kLanes ? to - m : kLanes;
    repulsionGroup<D>(packed, firstChild, y, order + m, lanes, theta2, rep, sums);
    for (int l = 0; l < lanes; l++) sumQ += sums[l];
  }
  return sumQ;
}

// Attraction of points from .. to (index order, which streams P): out[i] = sum_j p_ij q_ij (y_i - y_j).
template <int D>
void attractionRange(const int32_t* rowStart, const int32_t* cols, const double* values, const double* y, int from,
                     int to, double* out) {
  for (int i = from; i < to; i++) {
    const double* yi = y + static_cast<int64_t>(i) * D;
    double a[D];
    for (int d = 0; d < D; d++) a[d] = 0;
    for (int32_t e = rowStart[i]; e < rowStart[i + 1]; e++) {
      const double* yj = y + static_cast<int64_t>(cols[e]) * D;
      double diff[D];
      for (int d = 0; d < D; d++) diff[d] = yi[d] - yj[d];
      double den = 1 + diff[0] * diff[0];
      for (int d = 1; d < D; d++) den += diff[d] * diff[d];
      const double pq = values[e] / den;
      for (int d = 0; d < D; d++) a[d] += pq * diff[d];
    }
    for (int d = 0; d < D; d++) out[static_cast<int64_t>(i) * D + d] = a[d];
  }
}

inline TsneKernels kernels() {
  return {&repulsionRun<2>, &repulsionRun<3>, &attractionRange<2>, &attractionRange<3>};
}

}  // namespace TSNE_NS
}  // namespace fmnist
