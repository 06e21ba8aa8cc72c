/**
 * The kernel of the exact kNN (knn.ts): squared distances of point pairs through the expansion
 * ‖a‖² + ‖b‖² − 2 a·b, computed in register tiles of 4 × 2 dot products so that each coordinate
 * read serves several pairs, over one block of columns j at a time (the block stays in cache while
 * every earlier row i is swept past it). Each pair i < j is measured once and offered to both rows'
 * bounded max-heaps of (distance, index). The heaps keep a few more candidates than asked for, so
 * that knn.ts can rerank them by the exact difference form: the expansion loses a few low bits to
 * cancellation. Hand-written: no isomorphic library offers a blocked top-k kNN. Isomorphic.
 */

/** Per-row candidate heaps over all `n` rows, filled by {@link accumulateBlock}. */
export interface KnnHeaps {
  n: number;
  /** Capacity per row. */
  kk: number;
  heapD: Float64Array<ArrayBuffer>;
  heapI: Int32Array<ArrayBuffer>;
  size: Int32Array<ArrayBuffer>;
  /** Root of each full heap (the farthest candidate kept), Infinity while not full. */
  bound: Float64Array;
}

export function createHeaps(n: number, kk: number): KnnHeaps {
  return {
    n,
    kk,
    heapD: new Float64Array(n * kk),
    heapI: new Int32Array(n * kk),
    size: new Int32Array(n),
    bound: new Float64Array(n).fill(Infinity)
  };
}

/** Squared norms of the rows of `x` ([n, dim]). */
export function squaredNorms(x: Float64Array, n: number, dim: number): Float64Array {
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += x[i * dim + d] * x[i * dim + d];
    norms[i] = s;
  }
  return norms;
}

/** Offers candidate `j` at squared distance `d` to row `row`; ordered by (d, j). */
function offer(h: KnnHeaps, row: number, d: number, j: number): void {
  const kk = h.kk;
  const base = row * kk;
  const heapD = h.heapD;
  const heapI = h.heapI;
  const s = h.size[row];
  if (s < kk) {
    let c = s;
    h.size[row] = s + 1;
    while (c > 0) {
      const p = (c - 1) >> 1;
      const pd = heapD[base + p];
      if (pd > d || (pd === d && heapI[base + p] > j)) break;
      heapD[base + c] = pd;
      heapI[base + c] = heapI[base + p];
      c = p;
    }
    heapD[base + c] = d;
    heapI[base + c] = j;
    if (s + 1 === kk) h.bound[row] = heapD[base];
    return;
  }
  if (d === heapD[base] && j > heapI[base]) return;
  let c = 0;
  for (;;) {
    const l = 2 * c + 1;
    if (l >= kk) break;
    const r = l + 1;
    let m = l;
    if (
      r < kk &&
      (heapD[base + r] > heapD[base + l] || (heapD[base + r] === heapD[base + l] && heapI[base + r] > heapI[base + l]))
    ) {
      m = r;
    }
    const md = heapD[base + m];
    if (md < d || (md === d && heapI[base + m] < j)) break;
    heapD[base + c] = md;
    heapI[base + c] = heapI[base + m];
    c = m;
  }
  heapD[base + c] = d;
  heapI[base + c] = j;
  h.bound[row] = heapD[base];
}

/** Offers the pair (i, j) at squared distance `d` to both rows (ties at the bound go to the heap's check). */
function offerPair(h: KnnHeaps, i: number, j: number, d: number): void {
  const bound = h.bound;
  if (d <= bound[i]) offer(h, i, d, j);
  if (d <= bound[j]) offer(h, j, d, i);
}

/** One pair by the plain scalar loop (the tile's leftovers). */
function scalarPair(h: KnnHeaps, x: Float64Array, norms: Float64Array, dim: number, i: number, j: number): void {
  let dot = 0;
  const oi = i * dim;
  const oj = j * dim;
  for (let d = 0; d < dim; d++) dot += x[oi + d] * x[oj + d];
  offerPair(h, i, j, norms[i] + norms[j] - 2 * dot);
}

/** Rows of a column block: the block stays in cache while all earlier rows pass by. */
export const COLUMN_BLOCK = 256;

/** Number of column blocks for `n` points. */
export function blockCount(n: number): number {
  return Math.ceil(n / COLUMN_BLOCK);
}

/** Pairs i < j with j in block `b` (for progress and work estimates). */
export function blockPairs(n: number, b: number): number {
  const from = b * COLUMN_BLOCK;
  const to = Math.min(n, from + COLUMN_BLOCK);
  return (to * (to - 1)) / 2 - (from * (from - 1)) / 2;
}

/** Offers every pair i < j with j in column block `b` to `h`. */
export function accumulateBlock(h: KnnHeaps, x: Float64Array, norms: Float64Array, dim: number, b: number): void {
  const jFrom = b * COLUMN_BLOCK;
  const jTo = Math.min(h.n, jFrom + COLUMN_BLOCK);
  const bound = h.bound;
  for (let i0 = 0; i0 < jTo - 1; i0 += 4) {
    // Pairs inside the row group or before the tiles start: one at a time.
    const tileFrom = Math.max(jFrom, i0 + 4);
    for (let i = i0; i < i0 + 4 && i < jTo; i++) {
      for (let j = Math.max(jFrom, i + 1); j < Math.min(tileFrom, jTo); j++) scalarPair(h, x, norms, dim, i, j);
    }
    if (tileFrom >= jTo) continue;
    const o0 = i0 * dim;
    const o1 = o0 + dim;
    const o2 = o1 + dim;
    const o3 = o2 + dim;
    const ni0 = norms[i0];
    const ni1 = norms[i0 + 1];
    const ni2 = norms[i0 + 2];
    const ni3 = norms[i0 + 3];
    let j = tileFrom;
    for (; j + 1 < jTo; j += 2) {
      const p0 = j * dim;
      const p1 = p0 + dim;
      let s00 = 0,
        s01 = 0,
        s10 = 0,
        s11 = 0,
        s20 = 0,
        s21 = 0,
        s30 = 0,
        s31 = 0;
      for (let d = 0; d < dim; d++) {
        const b0 = x[p0 + d];
        const b1 = x[p1 + d];
        const a0 = x[o0 + d];
        const a1 = x[o1 + d];
        const a2 = x[o2 + d];
        const a3 = x[o3 + d];
        s00 += a0 * b0;
        s01 += a0 * b1;
        s10 += a1 * b0;
        s11 += a1 * b1;
        s20 += a2 * b0;
        s21 += a2 * b1;
        s30 += a3 * b0;
        s31 += a3 * b1;
      }
      // Distances only for pairs that can enter a heap: most fail both bounds.
      const n0 = norms[j];
      const n1 = norms[j + 1];
      const d00 = ni0 + n0 - 2 * s00;
      const d01 = ni0 + n1 - 2 * s01;
      const d10 = ni1 + n0 - 2 * s10;
      const d11 = ni1 + n1 - 2 * s11;
      const d20 = ni2 + n0 - 2 * s20;
      const d21 = ni2 + n1 - 2 * s21;
      const d30 = ni3 + n0 - 2 * s30;
      const d31 = ni3 + n1 - 2 * s31;
      const lowI = Math.min(d00, d01, d10, d11, d20, d21, d30, d31);
      if (lowI > bound[i0] && lowI > bound[i0 + 1] && lowI > bound[i0 + 2] && lowI > bound[i0 + 3]) {
        if (Math.min(d00, d10, d20, d30) > bound[j] && Math.min(d01, d11, d21, d31) > bound[j + 1]) continue;
      }
      offerPair(h, i0, j, d00);
      offerPair(h, i0, j + 1, d01);
      offerPair(h, i0 + 1, j, d10);
      offerPair(h, i0 + 1, j + 1, d11);
      offerPair(h, i0 + 2, j, d20);
      offerPair(h, i0 + 2, j + 1, d21);
      offerPair(h, i0 + 3, j, d30);
      offerPair(h, i0 + 3, j + 1, d31);
    }
    if (j < jTo) for (let i = i0; i < i0 + 4; i++) scalarPair(h, x, norms, dim, i, j);
  }
}
