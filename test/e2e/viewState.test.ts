/**
 * Every view but the projector keeps its state in the URL too (issue 17 item 7): Classify's
 * source, test image and map pickers, the dashboard's confusion-matrix cell, the model view's
 * layer. A pasted URL shows it; Back and Forward undo and redo a change in place.
 */
import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {openApp, type AppSession} from "./browser.js";
import {camLabelled} from "./classifyPage.js";

let app: AppSession;
beforeAll(async () => {
  app = await openApp({query: "?backend=wasm"});
});
afterAll(async () => app?.close());

const hash = (page: Page) => page.evaluate(() => location.hash);

/** A full load of `hash` (not a hash change, which a mounted view would take in place). */
async function load(page: Page, to: string, ready: string): Promise<void> {
  await page.goto("about:blank");
  await page.goto(`${app.url}${to}`);
  await page.waitForSelector(ready, {timeout: 90_000});
}

describe("view state in the URL", () => {
  it("Classify: a pasted URL chooses the source and the map's method, layer and class", async () => {
    const {page} = app;
    await load(page, "#/classify?source=draw&method=gradcam&layer=conv2d_3&class=7", ".source-switch");
    expect(await page.getAttribute('button[data-source="draw"]', "aria-pressed")).toBe("true");
    expect(await page.isVisible('[data-testid="draw-pad"]')).toBe(true);
    expect(await page.inputValue("#cam-method")).toBe("gradcam");
    expect(await page.inputValue("#cam-layer")).toBe("conv2d_3");
    expect(await page.inputValue("#cam-class")).toBe("7");

    // Each change is a history entry; Back undoes it without reloading the model.
    await page.selectOption("#cam-method", "cam");
    expect(await hash(page)).toBe("#/classify?source=draw&class=7");
    await page.click('button[data-source="file"]');
    expect(await hash(page)).toBe("#/classify?class=7");
    await page.evaluate(() => document.getElementById("cam-layer")?.setAttribute("data-marker", "kept"));
    await page.goBack();
    await page.waitForFunction(
      () => document.querySelector('button[data-source="draw"]')?.getAttribute("aria-pressed") === "true"
    );
    await page.goBack();
    await page.waitForFunction(() => (document.getElementById("cam-method") as HTMLSelectElement).value === "gradcam");
    expect(await page.inputValue("#cam-layer")).toBe("conv2d_3");
    expect(await page.getAttribute("#cam-layer", "data-marker")).toBe("kept");
  });

  it("Classify: a test image's URL keeps the map's pickers, and so do its next and previous links", async () => {
    const {page} = app;
    await load(page, "#/classify?test=5&method=gradcam&class=2", '[data-testid="test-image-label"]:not([hidden])');
    await camLabelled(page, "Grad-CAM for Pullover");
    await page.selectOption("#cam-class", "predicted");
    expect(await hash(page)).toBe("#/classify?test=5&method=gradcam");
    await page.click("text=next test image →");
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="test-image-label"]')?.textContent?.startsWith("Test image 6 ")
    );
    expect(await hash(page)).toBe("#/classify?test=6&method=gradcam");
    expect(await page.inputValue("#cam-method")).toBe("gradcam");
    // A photo replaces the test image: the URL no longer names one.
    await page.setInputFiles("#file-input", "sample_images/ankle_boot.png");
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="test-image-label"]')?.hasAttribute("hidden")
    );
    expect(await hash(page)).toBe("#/classify?method=gradcam");
    expect(app.errors).toEqual([]);
  });

  it("Dashboard: the chosen confusion-matrix cell is in the URL, and Back clears it", async () => {
    const {page} = app;
    await load(page, "#/dashboard", "table.confusion");
    await page.click('button.cell[data-true="6"][data-predicted="0"]');
    await page.waitForSelector(".pair-images .thumb-grid");
    expect(await hash(page)).toBe("#/dashboard?cell=6,0");
    const heading = await page.textContent("#pair-heading");
    expect(heading).toMatch(/^True Shirt, predicted T-shirt\/top: \d+ images$/);
    await page.goBack();
    await page.waitForFunction(() => !document.querySelector(".pair-images .thumb-grid"));
    expect(await page.locator("button.cell[aria-pressed=true]").count()).toBe(0);

    await load(page, "#/dashboard?cell=6,0", ".pair-images .thumb-grid");
    expect(await page.textContent("#pair-heading")).toBe(heading);
    expect(await page.getAttribute('button.cell[data-true="6"][data-predicted="0"]', "aria-pressed")).toBe("true");
  });

  it("Model: the chosen layer is in the URL", async () => {
    const {page} = app;
    await load(page, "#/model?layer=dense", '.layer-box[data-layer="dense"][aria-pressed="true"]');
    await page.click('.layer-box[data-layer="conv2d_2"]');
    expect(await hash(page)).toBe("#/model?layer=conv2d_2");
    await page.goBack();
    await page.waitForSelector('.layer-box[data-layer="dense"][aria-pressed="true"]');
    expect(app.errors).toEqual([]);
  });
});
