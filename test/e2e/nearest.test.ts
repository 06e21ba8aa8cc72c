/**
 * Nearest training images in Chromium (issue 17 item 3): for test images opened from the export,
 * the panel shows training images mostly of the test image's own class; for a misclassified one,
 * the "pull toward" row holds only images of the wrongly predicted class.
 */
import {mkdirSync, readFileSync} from "node:fs";
import {join} from "node:path";

import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";

import {CLASS_NAMES} from "../../src/core/data/fashionMnist.js";
import {ARTIFACTS, openApp, type AppSession} from "./browser.js";

let app: AppSession;
beforeAll(async () => {
  app = await openApp({query: "?backend=wasm"});
});
afterAll(async () => app?.close());

/** The export's metadata rows: [label, predicted] class indices. */
function metadataRows(): [number, number][] {
  const text = readFileSync(join(inject("exportDir"), "metadata.tsv"), "utf8");
  return text
    .trimEnd()
    .split("\n")
    .slice(1)
    .map((line) => {
      const [label, predicted] = line.split("\t");
      const names: readonly string[] = CLASS_NAMES;
      return [names.indexOf(label), names.indexOf(predicted)];
    });
}

/** Opens test image `index` in Classify and returns the labels of each row of the nearest panel. */
async function nearestOf(page: Page, index: number): Promise<Record<string, number[]>> {
  await page.goto("about:blank");
  await page.goto(`${app.url}#/classify?test=${index}`);
  await page.waitForSelector('[data-testid="nearest-panel"][data-shown] .near-tile', {timeout: 90_000});
  return page.$$eval('[data-testid="nearest-panel"] .near-row', (rows) =>
    Object.fromEntries(
      rows.map((row) => [
        (row as HTMLElement).dataset.testid ?? "",
        Array.from(row.querySelectorAll<HTMLElement>(".near-tile"), (t) => Number(t.dataset.label))
      ])
    )
  );
}

describe("nearest training images", () => {
  it("are mostly of the test image's own class", async () => {
    const rows = metadataRows();
    let same = 0;
    let shown = 0;
    for (const index of [0, 1, 2, 3, 5, 8, 13, 21]) {
      const near = await nearestOf(app.page, index);
      expect(near["near-all"]).toHaveLength(8);
      same += near["near-all"].filter((label) => label === rows[index][0]).length;
      shown += near["near-all"].length;
    }
    expect(same / shown).toBeGreaterThan(0.8);
  });

  it("show, for a misclassified test image, the wrong class's images that pull it there and its own class's", async () => {
    // The app averages each image with its mirror image, so the export's mistakes (no averaging)
    // are not all the app's: take the first the app gets wrong too.
    const rows = metadataRows();
    const wrong = rows.flatMap(([label, predicted], index) => (label !== predicted ? [index] : []));
    let checked = 0;
    for (const index of wrong.slice(0, 10)) {
      const near = await nearestOf(app.page, index);
      const predicted = Number(await app.page.getAttribute('[data-testid="nearest-panel"]', "data-predicted"));
      const truth = rows[index][0];
      if (predicted === truth) {
        expect(near["near-wrong"]).toBeUndefined();
        continue;
      }
      expect(near["near-wrong"]).toEqual(new Array(8).fill(predicted));
      expect(near["near-truth"]).toEqual(new Array(8).fill(truth));
      checked++;
      break;
    }
    expect(checked).toBe(1);
    const panel = app.page.locator('[data-testid="nearest-panel"]');
    await panel.scrollIntoViewIfNeeded();
    mkdirSync(ARTIFACTS, {recursive: true});
    await panel.screenshot({path: join(ARTIFACTS, "nearest.png")});
    expect(app.errors).toEqual([]);
  });
});
