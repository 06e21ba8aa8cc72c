/**
 * The space-partitioning tree of Barnes-Hut t-SNE (van der Maaten 2014, "Accelerating t-SNE using
 * tree-based algorithms", JMLR 15): a quadtree in 2-D, an octree in 3-D, in flat typed arrays so
 * that rebuilding it every iteration allocates nothing once it has grown. Leaves hold one point,
 * or a list of points with identical coordinates (which no subdivision could separate).
 * Isomorphic.
 */

import {repulsion2, repulsion3, type TreeView} from "./bhRepulsion.js";

const MAX_DEPTH = 48;

/** A quadtree (dim 2) or octree (dim 3) over a set of points, rebuilt in place by {@link SpTree.build}. */
export class SpTree {
  readonly dim: 2 | 3;
  private readonly fanout: number;
  private capacity = 0;
  private nodes = 0;
  /** [node, dim] cell centres. */
  private center = new Float64Array(0);
  /** Half the side of each (cubic) cell. */
  private half = new Float64Array(0);
  /** [node, dim] centres of mass (sums while building). */
  private com = new Float64Array(0);
  private count = new Int32Array(0);
  /** Index of the first of `fanout` consecutive children, or -1 for a leaf. */
  private firstChild = new Int32Array(0);
  /** First point of a leaf's list, or -1. */
  private firstPoint = new Int32Array(0);
  /** Next point in the same leaf (identical coordinates), or -1. */
  private nextPoint = new Int32Array(0);
  private stack = new Int32Array(0);
  /** [node, dim + 2]: centre of mass, count, squared side; what {@link repulsion} reads. */
  private packed = new Float64Array(0);
  private y: Float64Array = new Float64Array(0);

  constructor(dim: 2 | 3) {
    this.dim = dim;
    this.fanout = 1 << dim;
  }

  /** Number of nodes in the last build (for tests and diagnostics). */
  get size(): number {
    return this.nodes;
  }

  /**
   * Rebuilds the tree over `y` ([n, dim], row-major), inserting the points in `order` if given
   * (any permutation; the tree is the same, only faster to build in spatial order). `y` is kept by
   * reference until the next build.
   */
  build(y: Float64Array, n: number, order?: Int32Array): void {
    const dim = this.dim;
    this.y = y;
    if (this.nextPoint.length < n) this.nextPoint = new Int32Array(n);
    if (this.capacity < 2 * n + this.fanout) this.grow(2 * n + this.fanout);
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < n; i++) {
      for (let d = 0; d < dim; d++) {
        const v = y[i * dim + d];
        if (v < lo[d]) lo[d] = v;
        if (v > hi[d]) hi[d] = v;
      }
    }
    let half = 0;
    for (let d = 0; d < dim; d++) half = Math.max(half, (hi[d] - lo[d]) / 2);
    half = half * (1 + 1e-6) + 1e-9;
    this.nodes = 0;
    const root = this.newNode();
    for (let d = 0; d < dim; d++) this.center[root * dim + d] = n > 0 ? (lo[d] + hi[d]) / 2 : 0;
    this.half[root] = half;
    if (order) for (let m = 0; m < n; m++) this.insert(order[m]);
    else for (let i = 0; i < n; i++) this.insert(i);
    // Pack what the traversal reads into one array, [node, dim + 2]: centre of mass, count, side^2.
    const stride = dim + 2;
    if (this.packed.length < this.nodes * stride) this.packed = new Float64Array(this.capacity * stride);
    const packed = this.packed;
    for (let node = 0; node < this.nodes; node++) {
      const c = this.count[node];
      const o = node * stride;
      for (let d = 0; d < dim; d++) packed[o + d] = c > 0 ? this.com[node * dim + d] / c : 0;
      packed[o + dim] = c;
      packed[o + dim + 1] = 4 * this.half[node] * this.half[node];
    }
  }

  private grow(min: number): void {
    const capacity = Math.max(min, Math.ceil(this.capacity * 1.5));
    const dim = this.dim;
    const copy = <T extends Float64Array | Int32Array>(old: T, make: (n: number) => T, stride: number): T => {
      const next = make(capacity * stride);
      next.set(old.subarray(0, this.nodes * stride));
      return next;
    };
    const f64 = (n: number) => new Float64Array(n);
    const i32 = (n: number) => new Int32Array(n);
    this.center = copy(this.center, f64, dim);
    this.half = copy(this.half, f64, 1);
    this.com = copy(this.com, f64, dim);
    this.count = copy(this.count, i32, 1);
    this.firstChild = copy(this.firstChild, i32, 1);
    this.firstPoint = copy(this.firstPoint, i32, 1);
    this.stack = new Int32Array(capacity);
    this.capacity = capacity;
  }

  private newNode(): number {
    if (this.nodes === this.capacity) this.grow(this.nodes + 1);
    const node = this.nodes++;
    this.count[node] = 0;
    this.firstChild[node] = -1;
    this.firstPoint[node] = -1;
    for (let d = 0; d < this.dim; d++) this.com[node * this.dim + d] = 0;
    return node;
  }

  private childOf(node: number, point: number): number {
    const dim = this.dim;
    let bits = 0;
    for (let d = 0; d < dim; d++) if (this.y[point * dim + d] > this.center[node * dim + d]) bits |= 1 << d;
    return this.firstChild[node] + bits;
  }

  private addTo(node: number, point: number): void {
    const dim = this.dim;
    this.count[node]++;
    for (let d = 0; d < dim; d++) this.com[node * dim + d] += this.y[point * dim + d];
  }

  private samePosition(a: number, b: number): boolean {
    for (let d = 0; d < this.dim; d++) if (this.y[a * this.dim + d] !== this.y[b * this.dim + d]) return false;
    return true;
  }

  private insert(point: number): void {
    const dim = this.dim;
    let node = 0;
    for (let depth = 0; ; depth++) {
      this.addTo(node, point);
      if (this.firstChild[node] === -1) {
        const head = this.firstPoint[node];
        if (head === -1 || depth >= MAX_DEPTH || this.samePosition(head, point)) {
          this.nextPoint[point] = head;
          this.firstPoint[node] = point;
          return;
        }
        // Subdivide: children are allocated together; the resident points (one position) move down.
        const first = this.nodes;
        for (let c = 0; c < this.fanout; c++) {
          const child = this.newNode();
          const h = this.half[node] / 2;
          this.half[child] = h;
          for (let d = 0; d < dim; d++) {
            this.center[child * dim + d] = this.center[node * dim + d] + ((c >> d) & 1 ? h : -h);
          }
        }
        this.firstChild[node] = first;
        this.firstPoint[node] = -1;
        const target = this.childOf(node, head);
        for (let p = head; p !== -1;) {
          const next = this.nextPoint[p];
          this.addTo(target, p);
          this.nextPoint[p] = this.firstPoint[target];
          this.firstPoint[target] = p;
          p = next;
        }
      }
      node = this.childOf(node, point);
    }
  }

  /**
   * The points in depth-first order of the tree (a Z-order curve). Visiting points in this order
   * makes consecutive traversals similar, which the branch predictor and the caches reward.
   */
  pointOrder(out: Int32Array): Int32Array {
    const {firstChild, firstPoint, nextPoint, stack, fanout} = this;
    let top = 0;
    let k = 0;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top];
      const child = firstChild[node];
      if (child === -1) {
        for (let p = firstPoint[node]; p !== -1; p = nextPoint[p]) out[k++] = p;
      } else {
        for (let c = child + fanout - 1; c >= child; c--) if (this.count[c] > 0) stack[top++] = c;
      }
    }
    return out;
  }

  /** The arrays a traversal reads (valid until the next build). */
  view(): TreeView {
    return {dim: this.dim, nodes: this.nodes, packed: this.packed, firstChild: this.firstChild};
  }

  /** A stack with a slot per node, for traversals on this thread. */
  traversalStack(): Int32Array {
    return this.stack;
  }

  /**
   * Barnes-Hut repulsion on point `i` (see bhRepulsion.ts): adds sum_j q_ij^2 (y_i - y_j)
   * (unnormalised, q = 1/(1+d^2)) to `force[offset..]` and returns sum_j q_ij.
   */
  repulsion(i: number, theta: number, force: Float64Array, offset: number): number {
    const f = new Float64Array(this.dim);
    const traverse = this.dim === 2 ? repulsion2 : repulsion3;
    const sumQ = traverse(this.view(), this.y, i, theta * theta, f, 0, this.stack);
    for (let d = 0; d < this.dim; d++) force[offset + d] += f[d];
    return sumQ;
  }
}
