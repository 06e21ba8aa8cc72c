/** Training dashboard: curves from the run log (refreshed when it grows), the confusion matrix and its images. */
import {appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it, inject} from "vitest";

import {CLASS_NAMES} from "../../src/core/data/fashionMnist.js";
import {DEFAULT_RUN_DIR} from "../../src/cli/commands/serve.js";
import {SHIPPED_MODEL} from "../helpers/paths.js";
import {openApp, screenshot, type AppSession} from "./browser.js";

let app: AppSession;
let runDir: string;
const shippedLog = readFileSync(join(DEFAULT_RUN_DIR, "metrics.jsonl"), "utf8");
const epochLines = shippedLog.split("\n").filter((l) => l.includes('"type":"epoch"'));
/** The shipped model's test accuracy as its metadata records it (the dashboard must show this figure). */
const shippedTestAccuracy = (
  JSON.parse(readFileSync(join(SHIPPED_MODEL, "metadata.json"), "utf8")) as {metrics: {testAccuracy: number}}
).metrics.testAccuracy;

beforeAll(async () => {
  // A copy of the shipped run, so the test can append to its log like `fmnist train` does.
  runDir = mkdtempSync(join(tmpdir(), "fmnist-dashboard-run-"));
  copyFileSync(join(DEFAULT_RUN_DIR, "metrics.jsonl"), join(runDir, "metrics.jsonl"));
  app = await openApp({run: runDir});
  await app.page.goto(`${app.url}#/dashboard`);
  await app.page.waitForSelector(".curves-chart svg");
  await app.page.waitForSelector("table.confusion");
});
afterAll(async () => {
  await app?.close();
  rmSync(runDir, {recursive: true, force: true});
});

/** Epoch markers on the curves (the legend's two dots sit above the panels, at y = 50). */
function markers(page: Page): Promise<number> {
  return page.locator('.curves-chart svg circle:not([cy="50"])').count();
}

/** The test set's (true, predicted) pairs from the export the server serves. */
function exportPairs(): {label: number; predicted: number}[] {
  const [header, ...rows] = readFileSync(join(inject("exportDir"), "metadata.tsv"), "utf8")
    .trim()
    .split("\n");
  const cols = header.split("\t");
  const [l, p] = [cols.indexOf("Label"), cols.indexOf("Predicted")];
  return rows.map((row) => {
    const cells = row.split("\t");
    return {label: CLASS_NAMES.indexOf(cells[l] as never), predicted: CLASS_NAMES.indexOf(cells[p] as never)};
  });
}

describe("training dashboard", () => {
  it("draws one point per epoch of metrics.jsonl for each of the four curves", async () => {
    const {page} = app;
    expect(epochLines.length).toBeGreaterThan(1);
    expect(await page.getAttribute(".curves-chart", "data-epochs")).toBe(String(epochLines.length));
    expect(await markers(page)).toBe(4 * epochLines.length);
    expect(await page.locator(".curves-chart table tbody tr").count()).toBe(epochLines.length);
    expect(await page.textContent(".run-summary")).toContain(`${epochLines.length} epochs`);
    expect(await page.textContent(".last-updated")).toMatch(/^Last updated /);
    expect(await page.textContent(".model-facts")).toContain(
      `test accuracy ${(shippedTestAccuracy * 100).toFixed(2)}%`
    );
    await screenshot(page, "dashboard");
  });

  it("lists exactly the images of a confusion-matrix cell, each linking to Classify", async () => {
    const {page} = app;
    const shirt = CLASS_NAMES.indexOf("Shirt");
    const tshirt = CLASS_NAMES.indexOf("T-shirt/top");
    const expected = exportPairs()
      .map((pair, i) => ({...pair, i}))
      .filter((pair) => pair.label === shirt && pair.predicted === tshirt)
      .map((pair) => pair.i);
    expect(expected.length).toBeGreaterThan(0);
    const cell = page.getByRole("button", {name: `true Shirt, predicted T-shirt/top: ${expected.length} images`});
    expect(await cell.textContent()).toBe(String(expected.length));
    await cell.click();
    await page.waitForSelector(".pair-images .thumb-grid");
    const links = page.locator(".pair-images a.thumb-link");
    expect(await links.count()).toBe(expected.length);
    const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(hrefs).toEqual(expected.map((i) => `#/classify?test=${i}`));
    expect(await page.locator(".pair-images canvas").count()).toBe(expected.length);
    // From the top, so the sticky header is not painted over the middle of the full-page picture.
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, "dashboard-cell");
    await links.first().click();
    await page.waitForFunction(() => document.getElementById("view")?.dataset.view === "classify");
    expect(await page.evaluate(() => location.hash)).toBe(`#/classify?test=${expected[0]}`);
    const label = page.locator('[data-testid="test-image-label"]');
    await label.waitFor({state: "visible"});
    expect(await label.textContent()).toContain(`Test image ${expected[0]}`);
    expect(await label.textContent()).toContain("Shirt");
  });

  it("redraws the curves when the run log grows (auto-refresh)", async () => {
    const {page} = app;
    await page.goto(`${app.url}#/dashboard`);
    await page.waitForSelector(`.curves-chart[data-epochs="${epochLines.length}"]`);
    const last = JSON.parse(epochLines[epochLines.length - 1]) as Record<string, number>;
    const next = {...last, epoch: last.epoch + 1, loss: last.loss * 0.9, val_loss: last.val_loss * 0.95};
    appendFileSync(join(runDir, "metrics.jsonl"), `${JSON.stringify(next)}\n`);
    await page.waitForSelector(`.curves-chart[data-epochs="${epochLines.length + 1}"]`, {timeout: 15_000});
    expect(await markers(page)).toBe(4 * (epochLines.length + 1));
    expect(await page.textContent(".run-summary")).toContain(`checkpoint at epoch`);
    // Leaving the view stops the polling.
    let fetches = 0;
    page.on("request", (request) => {
      if (request.url().endsWith("/runs/metrics.jsonl")) fetches++;
    });
    await page.click('nav a[data-view="model"]');
    await page.waitForFunction(() => document.getElementById("view")?.dataset.view === "model");
    await page.waitForTimeout(6000);
    expect(fetches).toBe(0);
    expect(app.errors).toEqual([]);
  });
});
