/** The Model view: the layer diagram with the shipped model's totals, kernels of a convolution, a dense histogram. */
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {openApp, screenshot, type AppSession} from "./browser.js";

let app: AppSession;
beforeAll(async () => {
  app = await openApp();
  await app.page.goto(`${app.url}#/model`);
  await app.page.waitForSelector(".layer-box");
});
afterAll(async () => app?.close());

describe("model view", () => {
  it("lists every layer with its output shape and the total parameter count", async () => {
    const names = await app.page.$$eval(".layer-box .layer-name", (els) => els.map((e) => e.textContent));
    expect(names).toContain("conv2d");
    expect(names).toContain("dense");
    expect(names.length).toBeGreaterThanOrEqual(14);
    const dense = await app.page.textContent('.layer-box[data-layer="dense"]');
    expect(dense).toContain("(None, 10)");
    expect(dense).toContain("650 params");
    expect(await app.page.textContent(".layer-total")).toMatch(/Total: [\d,]+ parameters/);
  });

  it("shows a convolution's kernels as a coloured grid, by keyboard and by mouse", async () => {
    await app.page.focus('.layer-box[data-layer="conv2d_2"]');
    await app.page.keyboard.press("Enter");
    await app.page.waitForFunction(() =>
      document.querySelector('[data-testid="kernel-grid"]')?.getAttribute("aria-label")?.startsWith("conv2d_2 kernels")
    );
    expect(await app.page.getAttribute('.layer-box[data-layer="conv2d_2"]', "aria-pressed")).toBe("true");
    // Arrow keys move between layers.
    await app.page.keyboard.press("ArrowDown");
    await app.page.keyboard.press("ArrowDown");
    expect(await app.page.evaluate(() => (document.activeElement as HTMLElement).dataset.layer)).toBe(
      "max_pooling2d_1"
    );
    await app.page.keyboard.press("ArrowUp");
    await app.page.keyboard.press("Space");
    await app.page.waitForFunction(() =>
      document.querySelector('[data-testid="kernel-grid"]')?.getAttribute("aria-label")?.startsWith("conv2d_3 kernels")
    );
    await app.page.click('.layer-box[data-layer="conv2d_1"]');
    const grid = '[data-testid="kernel-grid"]';
    await app.page.waitForSelector(grid);
    expect(await app.page.getAttribute(grid, "aria-label")).toMatch(/conv2d_1 kernels: 64 filters of 3×3/);
    // 64 tiles of 3×3 weights at 8 px with 3 px gaps: 8 columns of 24 px.
    const size = await app.page.$eval(grid, (c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]);
    expect(size).toEqual([8 * 24 + 7 * 3, 8 * 24 + 7 * 3]);
    const colours = await app.page.$eval(grid, (c) => {
      const canvas = c as HTMLCanvasElement;
      const data = canvas.getContext("2d")?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
      const seen = new Set<string>();
      for (let i = 0; i < data.length; i += 4) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
      return seen.size;
    });
    expect(colours).toBeGreaterThan(50);
    await app.page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(app.page, "model");
    // Another input channel gives another picture.
    const before = await app.page.$eval(grid, (c) => (c as HTMLCanvasElement).toDataURL());
    await app.page.selectOption("#kernel-channel", "3");
    const after = await app.page.$eval(grid, (c) => (c as HTMLCanvasElement).toDataURL());
    expect(after).not.toBe(before);
    expect(await app.page.getAttribute(grid, "aria-label")).toContain("input channel 3");
  });

  it("shows histograms for the dense layer's kernel and bias, and for batch norm's four vectors", async () => {
    await app.page.click('.layer-box[data-layer="dense"]');
    await app.page.waitForSelector('[data-testid="histogram"] svg');
    const labels = await app.page.$$eval('[data-testid="histogram"]', (els) =>
      els.map((e) => e.getAttribute("aria-label"))
    );
    expect(labels).toHaveLength(2);
    expect(labels[0]).toMatch(/^dense kernel: 640 values, shape \[64, 10\], from -?[\d.]+ to [\d.]+/);
    expect(labels[1]).toMatch(/^dense bias: 10 values/);
    expect(await app.page.$$eval('[data-testid="histogram"] rect[fill="#4c78a8"]', (r) => r.length)).toBe(40 + 6);
    await app.page.click('.layer-box[data-layer="batch_normalization"]');
    await app.page.waitForFunction(() => document.querySelectorAll('[data-testid="histogram"]').length === 4);
    const names = await app.page.$$eval('[data-testid="histogram"]', (els) =>
      els.map((e) => e.getAttribute("aria-label"))
    );
    expect(names.map((n) => n?.split(":")[0])).toEqual([
      "batch_normalization gamma",
      "batch_normalization beta",
      "batch_normalization moving_mean",
      "batch_normalization moving_variance"
    ]);
    await app.page.click('.layer-box[data-layer="max_pooling2d"]');
    expect(await app.page.textContent(".model-weights")).toContain("This layer has no weights.");
    expect(app.errors).toEqual([]);
  });
});
