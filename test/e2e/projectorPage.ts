/** Shared by the projector's end-to-end tests: the export's layouts, points on screen, and waiting for frames. */
import {readFileSync} from "node:fs";
import {join} from "node:path";

import type {Page} from "playwright-core";
import {inject} from "vitest";

// The hook's type also declares window.__projector for the page functions below.
import type {ProjectorTestHook} from "../../web/src/views/projector/testHook.js";
import {openApp, type AppSession} from "./browser.js";

export interface ProjectionsJson {
  count: number;
  projections: Record<string, {"2d"?: number[][]; "3d"?: number[][]}>;
}

export const STAGE = ".projector-stage";

export const exportDir = inject("exportDir");
export const projections = JSON.parse(readFileSync(join(exportDir, "projections.json"), "utf8")) as ProjectionsJson;
/** metadata.tsv's rows (Label, Predicted, Score, …), without the header. */
export const metadataRows = readFileSync(join(exportDir, "metadata.tsv"), "utf8").trim().split("\n").slice(1);

export function stageAttr(page: Page, name: string): Promise<string | null> {
  return page.getAttribute(STAGE, name);
}

/** Waits until the scatter has drawn at least one more frame than `after`. */
export async function drawn(page: Page, after: number): Promise<number> {
  await page.waitForFunction((n) => (window.__projector?.renders() ?? 0) > n, after);
  return page.evaluate(() => window.__projector?.renders() ?? 0);
}

/** Waits for the next frame after the current one. */
export async function nextFrame(page: Page): Promise<void> {
  await drawn(page, (await page.evaluate(() => window.__projector?.renders() ?? 0)) - 1);
}

export async function pointOnScreen(page: Page, i: number): Promise<ReturnType<ProjectorTestHook["screenPosition"]>> {
  const p = await page.evaluate((index) => window.__projector?.screenPosition(index), i);
  if (!p) throw new Error("no projector test hook");
  return p;
}

export function umap2d(): number[][] {
  const rows = projections.projections.umap["2d"];
  if (!rows) throw new Error("the export has no 2-D UMAP");
  return rows;
}

/** A point in the thickest part of a 2-D layout (most others within 2% of its extent): zooming there shows many images. */
export function densestPoint(rows: number[][]): number {
  const xs = rows.map((r) => r[0]);
  const ys = rows.map((r) => r[1]);
  const r = 0.02 * Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
  let best = 0;
  let bestCount = -1;
  for (let i = 0; i < rows.length; i += 20) {
    let count = 0;
    for (const row of rows) if ((row[0] - rows[i][0]) ** 2 + (row[1] - rows[i][1]) ** 2 < r * r) count++;
    if (count > bestCount) {
      bestCount = count;
      best = i;
    }
  }
  return best;
}

/** Shift-drags a square lasso of half-side `half` pixels around (cx, cy). */
export async function lasso(page: Page, cx: number, cy: number, half: number): Promise<void> {
  await page.keyboard.down("Shift");
  await page.mouse.move(cx - half, cy - half);
  await page.mouse.down();
  for (const [dx, dy] of [
    [half, -half],
    [half, half],
    [-half, half],
    [-half, -half]
  ]) {
    await page.mouse.move(cx + dx, cy + dy, {steps: 4});
  }
  await page.mouse.up();
  await page.keyboard.up("Shift");
}

/** Opens the projector at `hash` in `page` and waits for its first frame. */
export async function openProjector(page: Page, url: string, hash = "#/projector"): Promise<void> {
  await page.goto(`${url}${hash}`);
  await page.waitForSelector(`${STAGE} canvas`);
  await drawn(page, 0);
}

/** The app with the projector's test hooks, opened on the projector and drawn once. */
export async function projectorSession(): Promise<AppSession> {
  const app = await openApp({query: "?testHooks"});
  await openProjector(app.page, app.url);
  return app;
}
