/**
 * UMAP's epochs in the native addon (native/umap.cc): a {@link UmapRunner} that runs each
 * batch-mode epoch of core/embed/umapOptimize.ts on the addon's threads, the same bytes on any
 * number of them (tested, test/embed/umapNative.test.ts). Undefined where the addon is not built,
 * is switched off (`FMNIST_NATIVE=0`) or predates UMAP. Node only.
 */
import {availableParallelism} from "node:os";

import {adamFactors, type UmapOptimizer, type UmapRunner} from "../../core/embed/umapOptimize.js";
import {loadAddonFunctions} from "../backend/nativeAddon.js";

const loadUmapAddon = () => loadAddonFunctions(["umapWorkspace", "umapEpoch", "umapRelease"]);

/** Whether UMAP can run natively in this process. */
export function nativeUmapAvailable(): boolean {
  return loadUmapAddon() !== undefined;
}

/**
 * A runner for UMAP layouts on `threads` threads (default: one per core, this one included), or
 * undefined without the addon. Its workspace (a copy of the edges and the helper threads) is made at
 * the first epoch of each optimiser and freed by `close` (or, failing that, when collected).
 */
export function createNativeUmap({threads = availableParallelism()}: {threads?: number} = {}): UmapRunner | undefined {
  const addon = loadUmapAddon();
  if (!addon) return undefined;
  let workspace: object | undefined;
  let owner: UmapOptimizer | undefined;
  const close = () => {
    if (workspace) addon.umapRelease(workspace);
    workspace = undefined;
    owner = undefined;
  };
  return {
    close,
    epoch(o, epoch) {
      if (owner !== o) {
        close();
        if (o.dim !== 2 && o.dim !== 3) return false;
        workspace = addon.umapWorkspace(o.dim, o.rowStart, o.tail, o.epochsPerSample, o.a, o.b, o.seed);
        owner = o;
      }
      const {alpha, c1, c2} = adamFactors(o, epoch);
      addon.umapEpoch(
        workspace as object,
        epoch,
        alpha,
        c1,
        c2,
        o.embedding,
        o.nextSample,
        o.nextNegative,
        o.gradient,
        o.moment1,
        o.moment2,
        threads
      );
      return true;
    }
  };
}
