/**
 * Barnes-Hut t-SNE (van der Maaten & Hinton 2008, "Visualizing data using t-SNE", JMLR 9;
 * van der Maaten 2014, "Accelerating t-SNE using tree-based algorithms", JMLR 15), written here
 * because no maintained npm package does Barnes-Hut t-SNE: tsne-js and druidjs are exact, O(N^2)
 * per iteration, and tfjs-tsne is abandoned. The API follows umap-js: `fit`, `fitAsync` (whose
 * callback stops the run by returning false) and `initialize` + `step` + `getEmbedding`.
 *
 * As in the reference implementation (bhtsne): input similarities from the 3 * perplexity exact
 * nearest neighbours, calibrated per point by binary search, symmetrised; repulsion by a quadtree
 * (2-D) or octree (3-D) with theta 0.5; early exaggeration 12 for 250 iterations; momentum 0.5
 * then 0.8; per-coordinate gains. Deviations: PCA initialisation scaled to a standard deviation of
 * 1e-4 (Kobak & Berens 2019, as scikit-learn and openTSNE), and the learning rate defaults to
 * max(N / exaggeration / 4, 50) (Belkina et al. 2019, scikit-learn's "auto"); theta is compared
 * with a cell's full side over its distance, as scikit-learn does (bhtsne uses half the side,
 * which is about 30% faster here and slightly less accurate). Points are visited in the tree's
 * depth-first order, which speeds the traversals up by a third. Nothing here is random with PCA
 * initialisation; a seeded `random` is used for random initialisation. Isomorphic.
 */
import {UserError} from "../errors.js";
import {createRandom, type Random} from "../random.js";
import {REPULSION_CHUNKS, runAllChunks, totalQ, type ForceJob, type RepulsionRunner} from "./bhRepulsion.js";
import {exactKnn, truncateNeighbors, type Neighbors} from "./knn.js";
import type {Points} from "./points.js";
import {SpTree} from "./spTree.js";
import {initialLayout, symmetricP, type SparseP} from "./tsneAffinities.js";

export {gaussian} from "./tsneAffinities.js";

/** Options of {@link Tsne}; every field has a default. */
export interface TsneOptions {
  /** Output dimension, 2 or 3 (default 2). */
  dim?: 2 | 3;
  /** Effective number of neighbours (default 30); needs more than 3 * perplexity points. */
  perplexity?: number;
  /** Barnes-Hut accuracy: a cell is summarised when side / distance < theta (default 0.5; 0 is exact). */
  theta?: number;
  /** Gradient-descent iterations (default 1000). */
  iterations?: number;
  /** Factor on the input similarities during the first iterations (default 12). */
  earlyExaggeration?: number;
  /** Number of early-exaggeration iterations (default 250); momentum switches from 0.5 to 0.8 then. */
  exaggerationIterations?: number;
  /** Learning rate (default max(N / earlyExaggeration / 4, 50)). */
  learningRate?: number;
  /** "pca" (default) or "random" (Gaussian, standard deviation 1e-4, drawn from `random`). */
  init?: "pca" | "random";
  /** Source of randomness in [0, 1) for random initialisation (default: seeded with 42). */
  random?: Random;
  /**
   * Runs the repulsion on other threads, or whole iterations in the native addon
   * (src/node/embed/tsneThreads.ts); the layout is the same bytes as without it (default: this thread).
   */
  repulsion?: RepulsionRunner;
}

/** Called after each iteration with its number (1-based); returning false stops the run. */
export type TsneStepCallback = (iteration: number) => boolean | void;

/** Barnes-Hut t-SNE. */
export class Tsne {
  readonly dim: 2 | 3;
  readonly perplexity: number;
  readonly theta: number;
  readonly iterations: number;
  readonly earlyExaggeration: number;
  readonly exaggerationIterations: number;
  private readonly init: "pca" | "random";
  private readonly random: Random;
  private readonly learningRateOption: number | undefined;
  private learningRate: number | undefined;
  private neighbors: Neighbors | undefined;
  private n = 0;
  private iteration = 0;
  /** Symmetric P in CSR form. */
  private p: SparseP = {rowStart: new Int32Array(1), cols: new Int32Array(0), values: new Float64Array(0)};
  private y = new Float64Array(0);
  private update = new Float64Array(0);
  private gains = new Float64Array(0);
  private grad = new Float64Array(0);
  private repulsive = new Float64Array(0);
  private attractive = new Float64Array(0);
  /** Points in the tree's depth-first order from the last iteration (see SpTree.pointOrder). */
  private order = new Int32Array(0);
  private lastSumQ = 1;
  private tree: SpTree;
  private readonly runner: RepulsionRunner | undefined;
  private readonly chunkSums = new Float64Array(REPULSION_CHUNKS);

  constructor(options: TsneOptions = {}) {
    this.dim = options.dim ?? 2;
    this.perplexity = options.perplexity ?? 30;
    this.theta = options.theta ?? 0.5;
    this.iterations = options.iterations ?? 1000;
    this.earlyExaggeration = options.earlyExaggeration ?? 12;
    this.exaggerationIterations = options.exaggerationIterations ?? 250;
    this.learningRateOption = options.learningRate;
    this.init = options.init ?? "pca";
    this.random = options.random ?? createRandom(42);
    this.runner = options.repulsion;
    if (this.dim !== 2 && this.dim !== 3) throw new UserError(`t-SNE: dim must be 2 or 3; got ${String(this.dim)}`);
    if (!(this.perplexity > 0)) throw new UserError(`t-SNE: perplexity must be positive; got ${this.perplexity}`);
    if (!(this.theta >= 0)) throw new UserError(`t-SNE: theta must be ≥ 0; got ${this.theta}`);
    this.tree = new SpTree(this.dim);
  }

  /** Number of neighbours used for the input similarities: floor(3 * perplexity). */
  get neighborCount(): number {
    return Math.floor(3 * this.perplexity);
  }

  /**
   * Supplies precomputed nearest neighbours (at least {@link neighborCount} per point, self
   * excluded) instead of computing them in {@link initialize}, e.g. to share them with UMAP.
   */
  setPrecomputedKnn(neighbors: Neighbors): void {
    this.neighbors = neighbors;
  }

  /** Prepares the run; returns the number of iterations {@link step} will take. */
  initialize(x: Points): number {
    const n = x.count;
    const k = this.neighborCount;
    if (n <= k) {
      throw new UserError(
        `Not enough samples (${n}) for perplexity ${this.perplexity}; lower the perplexity or add samples (need more than ${k})`
      );
    }
    let neighbors = this.neighbors ?? exactKnn(x, k);
    if (neighbors.count !== n || neighbors.k < k) {
      throw new UserError(`t-SNE: precomputed kNN has ${neighbors.count}x${neighbors.k}, need ${n}x${k}`);
    }
    neighbors = truncateNeighbors(neighbors, k);
    this.n = n;
    this.iteration = 0;
    this.learningRate = this.learningRateOption ?? Math.max(n / this.earlyExaggeration / 4, 50);
    this.p = symmetricP(neighbors, this.perplexity);
    this.runner?.prepare(this.p);
    const dim = this.dim;
    this.y = initialLayout(x, dim, this.init, this.random);
    this.update = new Float64Array(n * dim);
    this.gains = new Float64Array(n * dim).fill(1);
    this.grad = new Float64Array(n * dim);
    this.repulsive = new Float64Array(n * dim);
    this.attractive = new Float64Array(n * dim);
    this.order = Int32Array.from({length: n}, (_, i) => i);
    return this.iterations;
  }

  /** Runs one iteration; returns the number of iterations done so far. */
  step(): number {
    if (this.n === 0) throw new UserError("t-SNE: call initialize() before step()");
    if (this.iteration >= this.iterations) return this.iteration;
    const early = this.iteration < this.exaggerationIterations;
    const exaggeration = early ? this.earlyExaggeration : 1;
    const momentum = early ? 0.5 : 0.8;
    const lr = this.learningRate ?? 200;
    const {y, update, gains, grad, order, theta} = this;
    const job = {y, update, gains, order, theta, exaggeration, momentum, learningRate: lr};
    // The native addon (src/node/embed/tsneNative.ts) does all of the below, with the same arithmetic.
    const sumQ = this.runner?.iterate?.(job);
    if (sumQ !== undefined) {
      this.lastSumQ = sumQ;
      return ++this.iteration;
    }
    this.gradient(exaggeration);
    for (let t = 0; t < y.length; t++) {
      const g = grad[t];
      const u = update[t];
      // Delta-bar-delta: grow the gain when the gradient opposes the last step, shrink it otherwise.
      let gain = Math.sign(g) !== Math.sign(u) ? gains[t] + 0.2 : gains[t] * 0.8;
      if (gain < 0.01) gain = 0.01;
      gains[t] = gain;
      const next = momentum * u - lr * gain * g;
      update[t] = next;
      y[t] += next;
    }
    this.center();
    return ++this.iteration;
  }

  /** Runs all iterations synchronously and returns the layout. */
  fit(x: Points): Points {
    const total = this.initialize(x);
    for (let i = 0; i < total; i++) this.step();
    return this.getEmbedding();
  }

  /**
   * Runs all iterations, yielding to the event loop between batches of iterations (about every
   * 50 ms) so that a page or a worker stays responsive; `onStep` is called after every iteration
   * and stops the run by returning false.
   */
  async fitAsync(x: Points, onStep?: TsneStepCallback): Promise<Points> {
    const total = this.initialize(x);
    let lastYield = Date.now();
    for (let i = 0; i < total; i++) {
      const done = this.step();
      if (onStep?.(done) === false) break;
      if (Date.now() - lastYield > 50) {
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
        lastYield = Date.now();
      }
    }
    return this.getEmbedding();
  }

  /** A copy of the current layout, [count, dim]. */
  getEmbedding(): Points {
    return {data: this.y.slice(), count: this.n, dim: this.dim};
  }

  /** The learning rate in use (the default is known after {@link initialize}). */
  getLearningRate(): number | undefined {
    return this.learningRate;
  }

  /** The number of iterations done. */
  getIteration(): number {
    return this.iteration;
  }

  /**
   * KL(P || Q) of the current layout, with the normalisation Z of the last gradient step (exact
   * up to the Barnes-Hut approximation of Z). Costs one pass over the sparse P.
   */
  klDivergence(): number {
    const {y, dim} = this;
    const {rowStart, cols, values} = this.p;
    let kl = 0;
    for (let i = 0; i < this.n; i++) {
      for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
        const j = cols[e];
        let d2 = 0;
        for (let d = 0; d < dim; d++) {
          const t = y[i * dim + d] - y[j * dim + d];
          d2 += t * t;
        }
        const q = 1 / (1 + d2) / this.lastSumQ;
        const p = values[e];
        if (p > 0) kl += p * Math.log(p / Math.max(q, 1e-300));
      }
    }
    return kl;
  }

  /** grad = 4 (exaggeration * F_attr - F_rep / Z). */
  private gradient(exaggeration: number): void {
    const {n, dim, y, grad, repulsive, attractive, tree, theta, order} = this;
    tree.build(y, n, order);
    tree.pointOrder(order);
    const job: ForceJob = {
      tree: tree.view(),
      y,
      order,
      n,
      theta,
      repulsion: repulsive,
      attraction: attractive,
      chunkSums: this.chunkSums
    };
    if (!this.runner?.run(job)) runAllChunks(job, this.p, dim, tree.traversalStack());
    const sumQ = totalQ(this.chunkSums);
    this.lastSumQ = sumQ;
    for (let t = 0; t < n * dim; t++) grad[t] = 4 * (exaggeration * attractive[t] - repulsive[t] / sumQ);
  }

  private center(): void {
    const {n, dim, y} = this;
    for (let d = 0; d < dim; d++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += y[i * dim + d];
      mean /= n;
      for (let i = 0; i < n; i++) y[i * dim + d] -= mean;
    }
  }
}
