/**
 * Issue 18's memory check for the projector's Recompute: six quick UMAP recomputes of the export's
 * 10,000 points in a row. Each starts one Web Worker, which starts one nested worker per core (at
 * most 4) for the neighbour search; all are gone once the layout is shown, each run shows the same
 * layout (same seed) as the recompute worker alone (`?knnWorkers=1`), and the page's memory after a
 * full garbage collection does not grow from the second run to the last. Cancelling during the
 * neighbour search ends the nested workers too.
 */
import type {CDPSession, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import type {AppSession} from "./browser.js";
import {openProjector, projectorSession, stageAttr as attr} from "./projectorPage.js";

const RUNS = 6;
/**
 * Allowed growth from after the second run to after the last. Measured on Chromium 156 (10,000
 * points): the ArrayBuffers held stay the same to the byte and the V8 heap drifts by about 0.06 MB.
 * A run that left one 2-D layout behind (10,000 × 2 float32, 80 KB) would add 320 KB of
 * ArrayBuffers over runs 3 to 6; a leaked embeddings copy, 2.5 MB each.
 */
const ARRAY_BUFFER_MARGIN = 10_000 * 2 * 4;
const JS_HEAP_MARGIN = 1024 * 1024;

let app: AppSession;
let cdp: CDPSession;
beforeAll(async () => {
  app = await projectorSession();
  cdp = await app.context.newCDPSession(app.page);
});
afterAll(async () => app?.close());

interface Heap {
  /** The V8 heap's live objects. */
  used: number;
  /** ArrayBuffer contents, held outside the V8 heap (layouts and embeddings are typed arrays). */
  backing: number;
}

/** The page's memory after a full garbage collection (twice: the first may leave finalised buffers). */
async function heapAfterGc(session: CDPSession): Promise<Heap> {
  await session.send("HeapProfiler.collectGarbage");
  await session.send("HeapProfiler.collectGarbage");
  const usage = await session.send("Runtime.getHeapUsage");
  return {used: usage.usedSize, backing: usage.backingStorageSize};
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(2);

/** Workers while a recompute runs: the recompute worker and its nested kNN workers (one per core, at most 4). */
async function expectedWorkers(page: Page): Promise<number> {
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  return cores > 1 ? 1 + Math.min(4, cores) : 1;
}

/** Runs one quick UMAP 2-D recompute; returns the most workers seen while it ran and the seconds it reported. */
async function recomputeOnce(page: Page): Promise<{workersDuring: number; seconds: number}> {
  const started = page.waitForEvent("worker");
  await page.click(".recompute-start");
  await started;
  let workersDuring = 0;
  const sample = setInterval(() => (workersDuring = Math.max(workersDuring, page.workers().length)), 20);
  await page
    .waitForFunction(
      () => document.querySelector(".recompute-status")?.textContent?.startsWith("UMAP 2-D recomputed here in"),
      undefined,
      {timeout: 60_000}
    )
    .finally(() => clearInterval(sample));
  const status = (await page.textContent(".recompute-status")) ?? "";
  return {workersDuring, seconds: Number(/in ([\d.]+) s/.exec(status)?.[1])};
}

describe("repeated recomputes", () => {
  it("leave no worker behind and no memory growth over six quick UMAP runs", async () => {
    const {page} = app;
    await page.click(`button[data-method="umap"]`);
    await page.selectOption("#recompute-steps", "quick");
    const exported = await attr(page, "data-checksum");
    const workers = await expectedWorkers(page);
    expect(page.workers()).toHaveLength(0);
    const heaps: Heap[] = [];
    const checksums: (string | null)[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const {workersDuring, seconds} = await recomputeOnce(page);
      // The worker's close event reaches Playwright shortly after terminate().
      await expect.poll(() => page.workers().length, {timeout: 5000}).toBe(0);
      const heap = await heapAfterGc(cdp);
      heaps.push(heap);
      checksums.push(await attr(page, "data-checksum"));
      process.stdout.write(
        `recompute ${run}: ${seconds} s in the worker, ${workersDuring} workers while running; ` +
          `after GC: JS heap ${mb(heap.used)} MB, ArrayBuffers ${mb(heap.backing)} MB (${heap.backing} bytes)\n`
      );
      expect(workersDuring).toBe(workers);
      expect(await page.textContent("#projector-summary")).toContain("Layout recomputed in this browser");
    }
    // Each run shows its layout: not the export's, and the same bytes each time (same seed).
    expect(checksums[0]).not.toBe(exported);
    expect(new Set(checksums)).toEqual(new Set([checksums[0]]));
    const heapGrowth = heaps[RUNS - 1].used - heaps[1].used;
    const bufferGrowth = heaps[RUNS - 1].backing - heaps[1].backing;
    process.stdout.write(
      `after run ${RUNS} minus after run 2: JS heap ${heapGrowth} bytes, ArrayBuffers ${bufferGrowth} bytes\n`
    );
    expect(bufferGrowth).toBeLessThan(ARRAY_BUFFER_MARGIN);
    expect(heapGrowth).toBeLessThan(JS_HEAP_MARGIN);

    // The recompute worker alone, on one thread: the same layout to the byte.
    await openProjector(page, `${app.url}&knnWorkers=1`);
    await page.click(`button[data-method="umap"]`);
    await page.selectOption("#recompute-steps", "quick");
    const alone = await recomputeOnce(page);
    expect(alone.workersDuring).toBe(1);
    expect(await attr(page, "data-checksum")).toBe(checksums[0]);
    expect(app.errors).toEqual([]);
  }, 300_000); // about 35 s (5 s a run) on an idle 2-core machine; room for a loaded one

  it("ends the nested kNN workers when cancelled during the neighbour search", async () => {
    const {page} = app;
    await openProjector(page, app.url);
    await page.click(`button[data-method="umap"]`);
    const workers = await expectedWorkers(page);
    await page.click(".recompute-start");
    await expect.poll(() => page.workers().length, {timeout: 10_000, interval: 20}).toBe(workers);
    expect(await page.textContent(".recompute-status")).toMatch(/finding neighbours/);
    await page.click(".recompute button:text('Cancel')");
    expect(await page.textContent(".recompute-status")).toBe("Cancelled.");
    await expect.poll(() => page.workers().length, {timeout: 5000}).toBe(0);
    expect(app.errors).toEqual([]);
  });
});
