/**
 * Embedding projector: 10,000 points in WebGL, PCA/t-SNE/UMAP and 2-D/3-D switches, search, click
 * and lasso selection, the link to Classify, and the custom projection (projectorWork.test.ts: the
 * recompute in the worker and the frame time while panning).
 */
import type {Page} from "playwright-core";
import sharp from "sharp";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {screenshot, type AppSession} from "./browser.js";
import {
  densestPoint,
  drawn,
  lasso,
  projectorSession,
  metadataRows,
  pointOnScreen,
  projections,
  STAGE as stage,
  stageAttr as attr,
  umap2d
} from "./projectorPage.js";

let app: AppSession;

/** Classify shows test image `i`: its label line names the image and its true class (from metadata.tsv). */
async function expectClassifyShows(page: Page, i: number): Promise<void> {
  await page.waitForFunction(() => document.getElementById("view")?.dataset.view === "classify");
  expect(await page.evaluate(() => location.hash)).toBe(`#/classify?test=${i}`);
  const label = page.locator('[data-testid="test-image-label"]');
  await label.waitFor({state: "visible"});
  const text = await label.textContent();
  expect(text).toContain(`Test image ${i}`);
  expect(text).toContain(metadataRows[i].split("\t")[0]);
}

/** The point farthest from its nearest neighbour in a 2-D layout: clicking it cannot hit another point. */
function loneliestPoint(rows: number[][]): number {
  let best = 0;
  let bestD = -1;
  for (let i = 0; i < rows.length; i++) {
    let nearest = Infinity;
    for (let j = 0; j < rows.length; j++) {
      if (j === i) continue;
      const d = (rows[i][0] - rows[j][0]) ** 2 + (rows[i][1] - rows[j][1]) ** 2;
      if (d < nearest) nearest = d;
    }
    if (nearest > bestD) {
      bestD = nearest;
      best = i;
    }
  }
  return best;
}

beforeAll(async () => {
  app = await projectorSession();
});
afterAll(async () => app?.close());

describe("embedding projector", () => {
  it("draws all 10,000 test points and describes them in text", async () => {
    const {page} = app;
    expect(await attr(page, "data-point-count")).toBe("10000");
    expect(projections.count).toBe(10000);
    const summary = await page.textContent("#projector-summary");
    expect(summary).toContain("10,000 test images in 2-D");
    expect(summary).toMatch(/Trustworthiness 0\.\d{3}/);
    expect(await page.locator(".legend .legend-entry").count()).toBe(10);
    await screenshot(page, "projector-2d");
  });

  it("switches PCA → t-SNE → UMAP and 2-D ↔ 3-D, each a different layout", async () => {
    const {page} = app;
    const seen = new Map<string, string>();
    for (const [method, dim] of [
      ["pca", "2"],
      ["tsne", "2"],
      ["umap", "2"],
      ["umap", "3"],
      ["pca", "3"]
    ]) {
      if ((await attr(page, "data-dim")) !== dim) await page.click(`button[data-dim="${dim}"]`);
      await page.click(`button[data-method="${method}"]`);
      await page.waitForFunction(
        ([m, d]) => {
          const el = document.querySelector<HTMLElement>(".projector-stage");
          return el?.dataset.method === m && el.dataset.dim === d;
        },
        [method, dim]
      );
      expect(await page.getAttribute(`button[data-method="${method}"]`, "aria-pressed")).toBe("true");
      seen.set(`${method}-${dim}`, (await attr(page, "data-checksum")) ?? "");
      await drawn(page, (await page.evaluate(() => window.__projector?.renders() ?? 0)) - 1);
      if (method === "umap" && dim === "3") {
        // After the points' move to the new layout (0.45 s).
        await page.waitForTimeout(700);
        await screenshot(page, "projector-3d");
      }
    }
    expect(new Set(seen.values()).size).toBe(seen.size);
    await page.click(`button[data-dim="2"]`);
    await page.click(`button[data-method="umap"]`);
  });

  it("searches by class name, 'wrong' and index", async () => {
    const {page} = app;
    const wrong = metadataRows.filter((r) => {
      const [label, predicted] = r.split("\t");
      return label !== predicted;
    }).length;
    await page.fill("#projector-search", "Sneaker");
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>(".projector-stage")?.dataset.matchCount === "1000"
    );
    await page.fill("#projector-search", "wrong");
    expect(await attr(page, "data-match-count")).toBe(String(wrong));
    expect(await page.textContent(".search-status")).toBe(`${wrong.toLocaleString("en")} wrongly classified images`);
    await page.fill("#projector-search", "nonsense");
    expect(await page.getAttribute("#projector-search", "aria-invalid")).toBe("true");
    await page.fill("#projector-search", "");
    expect(await attr(page, "data-match-count")).toBe("0");
    // Colouring by correct/wrong makes a two-entry legend; its buttons search.
    await page.selectOption("#projector-colour", "correct");
    const entries = page.locator(".legend .legend-entry");
    expect(await entries.allTextContents()).toEqual([
      `Correct ${(10000 - wrong).toLocaleString("en")}`,
      `Wrong ${wrong.toLocaleString("en")}`
    ]);
    await entries.nth(1).click();
    expect(await page.inputValue("#projector-search")).toBe("wrong");
    expect(await attr(page, "data-match-count")).toBe(String(wrong));
    await page.fill("#projector-search", "");
    await page.selectOption("#projector-colour", "label");
    expect(await entries.count()).toBe(10);
  });

  it("selects a clicked point, lists its neighbours, and opens it in Classify", async () => {
    const {page} = app;
    const i = loneliestPoint(umap2d());
    const at = await pointOnScreen(page, i);
    await page.mouse.move(at.x, at.y);
    await page.waitForSelector(".point-tooltip:not([hidden])");
    expect(await page.textContent(".point-tooltip")).toMatch(new RegExp(`^Test image ${i}: `));
    await page.mouse.click(at.x, at.y);
    await page.waitForFunction(
      (n) => document.querySelector<HTMLElement>(".projector-stage")?.dataset.selected === String(n),
      i
    );
    expect(await page.textContent(".projector-panel h2")).toBe(`Test image ${i}`);
    expect(await page.locator(".projector-panel .neighbours .thumb-button").count()).toBe(10);
    await page.selectOption("#projector-k", "20");
    expect(await page.locator(".projector-panel .neighbours .thumb-button").count()).toBe(20);
    await page.selectOption("#projector-k", "10");
    const link = page.locator(".projector-panel a.explain-link");
    expect(await link.getAttribute("href")).toBe(`#/classify?test=${i}`);
    // Zoomed in around the selection, where points turn into their images (the README's picture).
    for (let k = 0; k < 10; k++) await page.mouse.wheel(0, -300);
    await page.mouse.move(at.x + 200, at.y + 400);
    await drawn(page, (await page.evaluate(() => window.__projector?.renders() ?? 0)) - 1);
    await page.waitForTimeout(300);
    await screenshot(page, "projector-selected");
    await link.click();
    await expectClassifyShows(page, i);

    // Back in the projector, a double-click opens a point directly.
    await page.goto(`${app.url}#/projector`);
    await page.waitForSelector(`${stage} canvas`);
    await drawn(page, 0);
    const again = await pointOnScreen(page, i);
    await page.mouse.dblclick(again.x, again.y);
    await expectClassifyShows(page, i);
    await page.goto(`${app.url}#/projector`);
    await page.waitForSelector(`${stage} canvas`);
    await drawn(page, 0);
  });

  it("zooms and pans from the keyboard, and shows the test images once zoomed in", async () => {
    const {page} = app;
    // Searching for an index selects that image.
    const i = densestPoint(umap2d());
    await page.fill("#projector-search", String(i));
    await page.fill("#projector-search", "");
    expect(await attr(page, "data-selected")).toBe(String(i));
    await page.click(`button:text("Reset view")`);
    // Distinct colours in a screenshot of the plot: dots give tens, the sprite's grey levels hundreds.
    const colours = async () => {
      const png = await page.locator(`${stage} canvas`).screenshot();
      const {data} = await sharp(png).removeAlpha().raw().toBuffer({resolveWithObject: true});
      const seen = new Set<number>();
      for (let k = 0; k < data.length; k += 3) seen.add((data[k] << 16) | (data[k + 1] << 8) | data[k + 2]);
      return seen.size;
    };
    const dots = await colours();
    await page.focus(`${stage} canvas`);
    // C centres the view on the selection.
    await page.keyboard.press("c");
    await drawn(page, (await page.evaluate(() => window.__projector?.renders() ?? 0)) - 1);
    const box = await page.locator(`${stage} canvas`).boundingBox();
    if (!box) throw new Error("no canvas");
    const centred = await pointOnScreen(page, i);
    expect(Math.abs(centred.x - (box.x + box.width / 2))).toBeLessThan(2);
    expect(Math.abs(centred.y - (box.y + box.height / 2))).toBeLessThan(2);
    for (let k = 0; k < 8; k++) await page.keyboard.press("+");
    await drawn(page, (await page.evaluate(() => window.__projector?.renders() ?? 0)) - 1);
    const zoomed = await pointOnScreen(page, i);
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    await drawn(page, (await page.evaluate(() => window.__projector?.renders() ?? 0)) - 1);
    const panned = await pointOnScreen(page, i);
    expect(Math.abs(panned.x - zoomed.x)).toBeGreaterThan(20);
    await screenshot(page, "projector-zoomed");
    const images = await colours();
    process.stdout.write(`projector: ${dots} distinct colours with dots, ${images} with images\n`);
    expect(images).toBeGreaterThan(Math.max(3 * dots, 200));
    // Enter opens the selection in Classify; Escape (back in the projector) clears it.
    await page.keyboard.press("Enter");
    await expectClassifyShows(page, i);
    await page.goBack();
    await page.waitForSelector(`${stage} canvas`);
    await drawn(page, 0);
  });

  it("selects the points inside a shift-drag lasso", async () => {
    const {page} = app;
    // A square around the thickest part of the layout.
    const {x: cx, y: cy} = await pointOnScreen(page, densestPoint(umap2d()));
    await lasso(page, cx, cy, 80);
    const count = Number(await attr(page, "data-selected-count"));
    expect(count).toBeGreaterThan(1);
    // Every selected point is inside the square (the lasso's polygon).
    const selected = ((await attr(page, "data-selected")) ?? "").split(",").map(Number);
    for (const j of selected) {
      const p = await pointOnScreen(page, j);
      expect(Math.abs(p.x - cx)).toBeLessThanOrEqual(81);
      expect(Math.abs(p.y - cy)).toBeLessThanOrEqual(81);
    }
    expect(await page.textContent(".projector-panel h2")).toBe(`${count.toLocaleString("en")} images selected`);
  });

  it("makes the custom projection between two classes' centroids", async () => {
    const {page} = app;
    await page.click(".custom-projection summary");
    await page.click(".custom-form button[type=submit]");
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>(".projector-stage")?.dataset.method === "custom"
    );
    expect(await page.textContent(".axis-x")).toBe("x: true class Sneaker → true class Ankle boot");
    expect(await page.textContent("#projector-summary")).toContain("Custom projection");
    await page.click(`button[data-method="umap"]`);
  });
});
