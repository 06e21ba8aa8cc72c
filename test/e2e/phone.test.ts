/**
 * The app on a 390 px wide phone screen (issue 17 item 8): every view, with its content shown
 * (a classified photo, a selection, a confusion-matrix cell, a layer's kernels), fits the width:
 * the page never scrolls sideways.
 */
import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {openApp, screenshot, type AppSession} from "./browser.js";

const WIDTH = 390;

let app: AppSession;
beforeAll(async () => {
  app = await openApp({query: "?backend=wasm"});
  await app.page.setViewportSize({width: WIDTH, height: 844});
});
afterAll(async () => app?.close());

/** A fresh load of `hash` (a full load, so each view starts from its URL). */
async function open(page: Page, hash: string, ready: string): Promise<void> {
  await page.goto("about:blank");
  await page.goto(`${app.url}${hash}`);
  await page.waitForSelector(ready, {timeout: 90_000});
}

/** The page's width and, when it is too wide, the elements that stick out (for the failure message). */
async function widths(page: Page): Promise<{scrollWidth: number; wide: string[]}> {
  return page.evaluate((width) => {
    const wide: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>("body *")) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 0.5 && r.width > 0) wide.push(`${el.tagName.toLowerCase()}.${el.className} ${r.right}`);
    }
    return {scrollWidth: document.scrollingElement?.scrollWidth ?? Infinity, wide: wide.slice(0, 10)};
  }, WIDTH);
}

async function expectFits(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, `phone-${name}`);
  const {scrollWidth, wide} = await widths(page);
  expect(scrollWidth, `${name}: ${wide.join("; ")}`).toBeLessThanOrEqual(WIDTH);
}

describe("a 390 px wide phone screen", () => {
  it("fits Classify with a classified photo, its map and every layer's feature maps", async () => {
    const {page} = app;
    await open(page, "#/classify", ".source-switch");
    await page.setInputFiles("#file-input", "sample_images/ankle_boot.png");
    await page.waitForSelector(".feature-layer");
    await page.waitForSelector('[data-testid="upload-preview"]:not([hidden])');
    await expectFits(page, "classify");
    await page.click('button[data-source="draw"]');
    await expectFits(page, "classify-draw");
  });

  it("fits the projector with a selection in its panel", async () => {
    const {page} = app;
    await open(page, "#/projector?q=Bag", ".projector-panel .thumb-row");
    await expectFits(page, "projector");
  });

  it("fits the training dashboard with a confusion-matrix cell's images", async () => {
    const {page} = app;
    await open(page, "#/dashboard?cell=6,0", ".pair-images .thumb-grid");
    await page.waitForSelector(".curves-chart svg");
    await expectFits(page, "dashboard");
  });

  it("fits the model view with a convolution's kernels", async () => {
    const {page} = app;
    await open(page, "#/model?layer=conv2d_1", ".model-weights canvas, .model-weights svg");
    await expectFits(page, "model");
    expect(app.errors).toEqual([]);
  });
});
