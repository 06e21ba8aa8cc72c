/**
 * What a new user hit in Classify (issue 17 item 8): clearing the pad shows the empty state, a
 * refused upload takes the previous result away, the map's caption and layer picker name the same
 * layer, and the uploaded photo is shown beside the file chooser.
 */
import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {CLASS_NAMES} from "../../src/core/data/fashionMnist.js";
import {openApp, screenshot, type AppSession} from "./browser.js";
import {camLabelled, colours, openClassify, PREDICTION, settled} from "./classifyPage.js";
const CAM = '[data-testid="cam"]';

let app: AppSession;
beforeAll(async () => {
  app = await openApp({query: "?backend=wasm"});
});
afterAll(async () => app?.close());

/** The results panel shows no class and no percentage, only `message`. */
async function expectNoPrediction(page: Page, message: string): Promise<void> {
  expect(await page.textContent(PREDICTION)).toBe("—");
  expect(await page.textContent(".results .confidence")).toBe(message);
  expect(await page.locator(".prob-row").count()).toBe(0);
  expect(await page.innerText(".results")).not.toMatch(/%/);
  expect(await page.getAttribute(CAM, "aria-label")).toBe("Class activation map (none: no input)");
  expect(await colours(page, CAM)).toBeLessThanOrEqual(1);
  expect(await page.textContent(".cam-caption")).toBe("");
  expect(await page.locator(".feature-layer").count()).toBe(0);
}

describe("Classify for a new user", () => {
  it("shows the empty state after Clear, not the last drawing's class", async () => {
    const {page} = app;
    await openClassify(page, app.url);
    await page.click('button[data-source="draw"]');
    const box = await page.locator('[data-testid="draw-pad"]').boundingBox();
    if (!box) throw new Error("no drawing pad");
    await page.mouse.move(box.x + 0.2 * box.width, box.y + 0.3 * box.height);
    await page.mouse.down();
    for (let y = 0.3; y <= 0.8; y += 0.1)
      await page.mouse.move(box.x + 0.8 * box.width, box.y + y * box.height, {steps: 2});
    await page.mouse.up();
    await settled(page);
    expect(CLASS_NAMES as readonly (string | null)[]).toContain(await page.textContent(PREDICTION));
    expect(await page.locator(".feature-layer").count()).toBeGreaterThan(0);
    await page.click(".clear-button");
    await settled(page);
    await expectNoPrediction(page, "The pad is empty: draw a garment.");
    expect(await page.textContent(".feature-panel")).toContain("The pad is empty: draw a garment.");
    expect(app.errors).toEqual([]);
  });

  it("shows the uploaded photo, and names the same layer in the CAM caption and the layer picker", async () => {
    const {page} = app;
    await openClassify(page, app.url);
    await page.setInputFiles("#file-input", "sample_images/black_bag.jpg");
    await camLabelled(page, "CAM for Bag");
    const preview = page.locator('[data-testid="upload-preview"]');
    expect(await preview.isVisible()).toBe(true);
    expect(await preview.getAttribute("aria-label")).toBe("The uploaded photo, black_bag.jpg");
    expect(await colours(page, '[data-testid="upload-preview"]')).toBeGreaterThan(50);
    const size = await preview.boundingBox();
    // 584×520 shown within 160×120, its shape kept.
    expect(size?.height).toBeCloseTo(120, 0);
    expect(size?.width).toBeCloseTo((584 / 520) * 120, 0);
    await screenshot(page, "classify-preview");

    /** The layer the caption names, and the layer picker's shown text. */
    const layers = async () => ({
      caption: /from layer (\S+) /.exec((await page.textContent(".cam-caption")) ?? "")?.[1],
      picker: await page.$eval("#cam-layer", (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent)
    });
    const asCam = await layers();
    expect(asCam.caption).toBe("batch_normalization_2");
    expect(asCam.picker).toBe(asCam.caption);
    expect(await page.isDisabled("#cam-layer")).toBe(true);
    await page.selectOption("#cam-method", "gradcam");
    expect(await layers()).toEqual({caption: "conv2d_5", picker: "conv2d_5"});
    await page.selectOption("#cam-layer", "conv2d_3");
    expect(await layers()).toEqual({caption: "conv2d_3", picker: "conv2d_3"});
    await page.selectOption("#cam-method", "cam");
    expect(await layers()).toEqual(asCam);
    // Grad-CAM remembers its layer.
    await page.selectOption("#cam-method", "gradcam");
    expect(await layers()).toEqual({caption: "conv2d_3", picker: "conv2d_3"});
  });

  it("takes the previous result away when an upload is refused", async () => {
    const {page} = app;
    await openClassify(page, app.url);
    await page.setInputFiles("#file-input", "sample_images/ankle_boot.png");
    await camLabelled(page, "CAM for");
    await settled(page);
    expect(await page.textContent(PREDICTION)).toBe("Ankle boot");
    await page.setInputFiles("#file-input", {
      name: "notes.png",
      mimeType: "image/png",
      buffer: Buffer.from("just text")
    });
    await page.waitForSelector(".input-message:not([hidden])");
    await settled(page);
    expect(await page.textContent(".input-message")).toMatch(
      /"notes.png" \(image\/png\) is not an image this browser can decode/
    );
    await expectNoPrediction(page, "No prediction: the file was refused (see the message under Input).");
    expect(await page.isHidden('[data-testid="upload-preview"]')).toBe(true);
    expect(await page.textContent(".file-info")).toBe("");
    expect(await page.locator(".steps-box .step").count()).toBe(0);
    // A good file afterwards is classified as usual.
    await page.setInputFiles("#file-input", "sample_images/black_bag.jpg");
    await page.waitForFunction((p) => document.querySelector(p)?.textContent === "Bag", PREDICTION);
    expect(await page.isHidden(".input-message")).toBe(true);
    expect(app.errors).toEqual([]);
  });
});
