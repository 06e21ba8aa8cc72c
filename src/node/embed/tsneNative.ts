/**
 * t-SNE's iterations in the native addon (native/tsne.cc): a {@link RepulsionRunner} whose
 * `iterate` runs a whole iteration of Tsne.step natively (tree build, repulsion and attraction on
 * native threads, update, centring) with the same arithmetic in the same order, so the layout is
 * the same bytes as the JavaScript path (tested on real embeddings, test/embed/tsneNative.test.ts).
 * Undefined where the addon is not built, is switched off (`FMNIST_NATIVE=0`) or predates t-SNE.
 * Node only.
 */
import {availableParallelism} from "node:os";

import type {CsrRows, ForceJob, IterationJob, RepulsionRunner} from "../../core/embed/bhRepulsion.js";
import {loadAddonFunctions} from "../backend/nativeAddon.js";

/** The addon's t-SNE functions, or undefined without them. */
export const loadTsneAddon = () => loadAddonFunctions(["tsneWorkspace", "tsneStep", "tsneRelease"]);

/** Whether t-SNE can run natively in this process. */
export function nativeTsneAvailable(): boolean {
  return loadTsneAddon() !== undefined;
}

/** Options of {@link createNativeTsne}. */
export interface NativeTsneOptions {
  /** Threads, the calling one included (default: one per core). */
  threads?: number;
  /** Use the AVX2 copy of the forces where the CPU has it (default true; false for tests). */
  simd?: boolean;
}

/** A runner whose `close` stops its threads and frees its memory (after the fit). */
export type NativeTsneRunner = RepulsionRunner & {close(): void};

/**
 * A runner for one t-SNE fit of `n` points in `dim` dimensions, or undefined without the addon.
 * The workspace (a copy of P, the tree's buffers and the helper threads) is made by `prepare`
 * and freed by `close` (or, failing that, when the runner is collected).
 */
export function createNativeTsne(
  n: number,
  dim: 2 | 3,
  {threads = availableParallelism(), simd = true}: NativeTsneOptions = {}
): NativeTsneRunner | undefined {
  const addon = loadTsneAddon();
  if (!addon) return undefined;
  let workspace: object | undefined;
  const close = () => {
    if (workspace) addon.tsneRelease(workspace);
    workspace = undefined;
  };
  return {
    close,
    prepare(p: CsrRows) {
      close();
      workspace =
        p.rowStart.length === n + 1 ? addon.tsneWorkspace(dim, p.rowStart, p.cols, p.values, simd) : undefined;
    },
    run(_job: ForceJob) {
      return false;
    },
    iterate(job: IterationJob) {
      if (!workspace || job.order.length !== n || job.y.length !== n * dim) return undefined;
      const {y, update, gains, order, theta, exaggeration, momentum, learningRate} = job;
      return addon.tsneStep(workspace, y, update, gains, order, theta, exaggeration, momentum, learningRate, threads);
    }
  };
}
