// The Barnes-Hut tree of t-SNE (tsne.cc): a quadtree (D = 2) or octree (D = 3) rebuilt every
// iteration in vectors that only grow. It mirrors src/core/embed/spTree.ts operation for operation
// (the same insertion order, cell centres, sums of coordinates and packed layout), so that the
// native iteration computes the same bytes as the JavaScript one. Compiled with
// -ffp-contract=off: a fused multiply-add would round differently from V8.
#pragma once
#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace fmnist {

template <int D>
class TsneTree {
 public:
  static constexpr int kFanout = 1 << D;
  // What a traversal reads per node: centre of mass (D), count, squared side.
  static constexpr int kStride = D + 2;
  static constexpr int kMaxDepth = 48;

  int nodes = 0;
  std::vector<double> packed;
  std::vector<int32_t> firstChild;

  // Rebuilds the tree over y ([n, D]), inserting the points in `order` (a permutation of 0..n-1).
  void build(const double* y, int n, const int32_t* order) {
    y_ = y;
    if (static_cast<int>(nextPoint_.size()) < n) nextPoint_.resize(n);
    if (capacity_ < 2 * n + kFanout) grow(2 * n + kFanout);
    double lo[D], hi[D];
    for (int d = 0; d < D; d++) {
      lo[d] = std::numeric_limits<double>::infinity();
      hi[d] = -std::numeric_limits<double>::infinity();
    }
    for (int i = 0; i < n; i++) {
      for (int d = 0; d < D; d++) {
        const double v = y[i * D + d];
        if (v < lo[d]) lo[d] = v;
        if (v > hi[d]) hi[d] = v;
      }
    }
    double half = 0;
    for (int d = 0; d < D; d++) {
      const double h = (hi[d] - lo[d]) / 2;
      if (h > half) half = h;
    }
    half = half * (1 + 1e-6) + 1e-9;
    nodes = 0;
    const int root = newNode();
    for (int d = 0; d < D; d++) center_[root * D + d] = n > 0 ? (lo[d] + hi[d]) / 2 : 0;
    half_[root] = half;
    for (int m = 0; m < n; m++) insert(order[m]);
    if (packed.size() < static_cast<size_t>(capacity_) * kStride) packed.resize(static_cast<size_t>(capacity_) * kStride);
    for (int node = 0; node < nodes; node++) {
      const int c = count_[node];
      double* o = packed.data() + static_cast<size_t>(node) * kStride;
      for (int d = 0; d < D; d++) o[d] = c > 0 ? com_[node * D + d] / c : 0;
      o[D] = c;
      o[D + 1] = 4 * half_[node] * half_[node];
    }
  }

  // The points in depth-first order (children in index order), as SpTree.pointOrder.
  void pointOrder(int32_t* out) {
    std::vector<int32_t>& stack = stack_;
    if (static_cast<int>(stack.size()) < nodes + kFanout) stack.resize(nodes + kFanout);
    int top = 0, k = 0;
    stack[top++] = 0;
    while (top > 0) {
      const int node = stack[--top];
      const int child = firstChild[node];
      if (child == -1) {
        for (int p = firstPoint_[node]; p != -1; p = nextPoint_[p]) out[k++] = p;
      } else {
        for (int c = child + kFanout - 1; c >= child; c--)
          if (count_[c] > 0) stack[top++] = c;
      }
    }
  }

 private:
  const double* y_ = nullptr;
  int capacity_ = 0;
  std::vector<double> center_, half_, com_;
  std::vector<int32_t> count_, firstPoint_, nextPoint_, stack_;

  void grow(int min) {
    const int capacity = std::max(min, capacity_ + capacity_ / 2);
    center_.resize(static_cast<size_t>(capacity) * D);
    com_.resize(static_cast<size_t>(capacity) * D);
    half_.resize(capacity);
    count_.resize(capacity);
    firstChild.resize(capacity);
    firstPoint_.resize(capacity);
    capacity_ = capacity;
  }

  int newNode() {
    if (nodes == capacity_) grow(nodes + 1);
    const int node = nodes++;
    count_[node] = 0;
    firstChild[node] = -1;
    firstPoint_[node] = -1;
    for (int d = 0; d < D; d++) com_[node * D + d] = 0;
    return node;
  }

  int childOf(int node, int point) const {
    int bits = 0;
    for (int d = 0; d < D; d++)
      if (y_[point * D + d] > center_[node * D + d]) bits |= 1 << d;
    return firstChild[node] + bits;
  }

  void addTo(int node, int point) {
    count_[node]++;
    for (int d = 0; d < D; d++) com_[node * D + d] += y_[point * D + d];
  }

  bool samePosition(int a, int b) const {
    for (int d = 0; d < D; d++)
      if (y_[a * D + d] != y_[b * D + d]) return false;
    return true;
  }

  void insert(int point) {
    int node = 0;
    for (int depth = 0;; depth++) {
      addTo(node, point);
      if (firstChild[node] == -1) {
        const int head = firstPoint_[node];
        if (head == -1 || depth >= kMaxDepth || samePosition(head, point)) {
          nextPoint_[point] = head;
          firstPoint_[node] = point;
          return;
        }
        // Subdivide: the children are allocated together; the resident points (one position) move down.
        const int first = nodes;
        for (int c = 0; c < kFanout; c++) {
          const int child = newNode();
          const double h = half_[node] / 2;
          half_[child] = h;
          for (int d = 0; d < D; d++) center_[child * D + d] = center_[node * D + d] + (((c >> d) & 1) ? h : -h);
        }
        firstChild[node] = first;
        firstPoint_[node] = -1;
        const int target = childOf(node, head);
        for (int p = head; p != -1;) {
          const int next = nextPoint_[p];
          addTo(target, p);
          nextPoint_[p] = firstPoint_[target];
          firstPoint_[target] = p;
          p = next;
        }
      }
      node = childOf(node, point);
    }
  }
};

}  // namespace fmnist
