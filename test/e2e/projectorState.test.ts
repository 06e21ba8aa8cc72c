/**
 * The projector's state in the URL (issue 17 item 7): Back after "Explain" returns to the same
 * lasso and camera, Back within the view undoes a change in place, a URL pasted in a new tab
 * shows the same method, colouring, search and selection, and the CSV downloads hold exactly the
 * selection (and every point) with the layout's coordinates. The custom projection says how to make one.
 */
import {readFileSync} from "node:fs";

import type {Download, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {CLASS_NAMES} from "../../src/core/data/fashionMnist.js";
import {openApp, screenshot, type AppSession} from "./browser.js";
import {
  densestPoint,
  drawn,
  lasso,
  metadataRows,
  nextFrame,
  openProjector,
  pointOnScreen,
  projections,
  STAGE,
  stageAttr,
  umap2d
} from "./projectorPage.js";

let app: AppSession;
beforeAll(async () => {
  app = await openApp({query: "?testHooks"});
});
afterAll(async () => app?.close());

/** The selection as the stage reports it: its size and (up to 50) indices. */
async function selection(page: Page): Promise<{count: number; first: string}> {
  return {
    count: Number(await stageAttr(page, "data-selected-count")),
    first: (await stageAttr(page, "data-selected")) ?? ""
  };
}

/** The camera as the URL keeps it (four decimals). */
const camera = async (page: Page) =>
  (await page.evaluate(() => window.__projector?.camera()))?.map((v) => Number(v.toFixed(4)));

/** A CSV file as rows of fields (the app quotes no field of these files: names have no commas). */
async function readCsv(download: Download): Promise<string[][]> {
  const path = await download.path();
  const text = readFileSync(path, "utf8");
  expect(text.endsWith("\r\n")).toBe(true);
  return text
    .trimEnd()
    .split("\r\n")
    .map((line) => line.split(","));
}

/** Columns of metadata.tsv's row `i`: label, prediction and score. */
function metadata(i: number): {label: string; predicted: string; score: number} {
  const [label, predicted, score] = metadataRows[i].split("\t");
  return {label, predicted, score: Number(score)};
}

describe("projector state in the URL", () => {
  it("returns to the same lasso and camera with Back after Explain", async () => {
    const {page} = app;
    await openProjector(page, app.url);
    const {x, y} = await pointOnScreen(page, densestPoint(umap2d()));
    // Zoom in on the dense part first (the wheel zooms towards the cursor), then lasso there.
    await page.mouse.move(x, y);
    for (let k = 0; k < 6; k++) await page.mouse.wheel(0, -300);
    await nextFrame(page);
    const centre = await pointOnScreen(page, densestPoint(umap2d()));
    await lasso(page, centre.x, centre.y, 60);
    const before = await selection(page);
    expect(before.count).toBeGreaterThan(5);
    const view = await camera(page);
    expect(view).toHaveLength(3);
    expect(view?.[2]).toBeGreaterThan(1.5);
    const hash = await page.evaluate(() => location.hash);
    expect(hash).toMatch(/^#\/projector\?.*sel=/);
    expect(hash).toContain("cam=");

    // The first selected image's Explain link opens Classify; Back comes home.
    await page.click(".thumb-row .thumb-button >> nth=0");
    const first = Number(before.first.split(",")[0]);
    expect(await stageAttr(page, "data-selected")).toBe(String(first));
    await page.click(".projector-panel a.explain-link");
    await page.waitForFunction(() => document.getElementById("view")?.dataset.view === "classify");
    expect(await page.evaluate(() => location.hash)).toBe(`#/classify?test=${first}`);
    await page.goBack();
    await page.waitForSelector(`${STAGE} canvas`);
    await drawn(page, 0);
    expect(await selection(page)).toEqual({count: 1, first: String(first)});
    // One more Back: the lasso, with the camera it was drawn under.
    await page.goBack();
    await page.waitForFunction(
      (n) => document.querySelector<HTMLElement>(".projector-stage")?.dataset.selectedCount === n,
      String(before.count)
    );
    expect(await selection(page)).toEqual(before);
    expect(await camera(page)).toEqual(view);
    expect(await page.evaluate(() => location.hash)).toBe(hash);
    expect(await page.textContent(".projector-panel h2")).toBe(`${before.count} images selected`);
    expect(app.errors).toEqual([]);
  });

  it("undoes a change of method with Back, in place (the scatter is not rebuilt)", async () => {
    const {page} = app;
    await openProjector(page, app.url);
    await page.evaluate(() => document.querySelector(".projector-stage canvas")?.setAttribute("data-marker", "kept"));
    await page.click('button[data-method="tsne"]');
    await page.click('button[data-dim="3"]');
    expect(await page.evaluate(() => location.hash)).toBe("#/projector?method=tsne&dim=3");
    await page.goBack();
    await page.waitForFunction(() => document.querySelector<HTMLElement>(".projector-stage")?.dataset.dim === "2");
    expect(await stageAttr(page, "data-method")).toBe("tsne");
    await page.goBack();
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>(".projector-stage")?.dataset.method === "umap"
    );
    expect(await page.getAttribute(`${STAGE} canvas`, "data-marker")).toBe("kept");
    await page.goForward();
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>(".projector-stage")?.dataset.method === "tsne"
    );
  });

  it("makes one history entry of a search typed key by key: Back returns to the selection before it", async () => {
    const {page} = app;
    await openProjector(page, app.url, "#/projector?sel=42");
    await page.locator("#projector-search").pressSequentially("Bag");
    expect(await selection(page)).toMatchObject({count: 1000});
    expect(await page.evaluate(() => location.hash)).toBe("#/projector?q=Bag");
    await page.goBack();
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>(".projector-stage")?.dataset.selected === "42"
    );
    expect(await page.inputValue("#projector-search")).toBe("");
    expect(await stageAttr(page, "data-match-count")).toBe("0");
  });

  it("shows a pasted URL's method, colouring, search, selection and camera in a new tab", async () => {
    const hash = "#/projector?method=pca&dim=3&colour=correct&q=wrong&sel=3,10-12,9000&k=20&cam=0.1,0.2,2,0,0,0";
    const page = await app.context.newPage();
    try {
      await openProjector(page, app.url, hash);
      expect(await stageAttr(page, "data-method")).toBe("pca");
      expect(await stageAttr(page, "data-dim")).toBe("3");
      expect(await page.inputValue("#projector-colour")).toBe("correct");
      expect(await page.inputValue("#projector-search")).toBe("wrong");
      const wrong = metadataRows.filter((r) => r.split("\t")[0] !== r.split("\t")[1]).length;
      expect(await stageAttr(page, "data-match-count")).toBe(String(wrong));
      expect(await selection(page)).toEqual({count: 5, first: "3,10,11,12,9000"});
      expect(await page.textContent(".projector-panel h2")).toBe("5 images selected");
      expect(await page.locator(".projector-panel .neighbours .thumb-button").count()).toBe(20);
      expect(await page.inputValue("#projector-k")).toBe("20");
      expect(await camera(page)).toEqual([0.1, 0.2, 2, 0, 0, 0]);

      // A search alone selects what it finds: its images fill the Selection panel.
      await openProjector(page, app.url, "#/projector?q=Bag");
      expect(await selection(page)).toMatchObject({count: 1000});
      expect(await page.textContent(".projector-panel h2")).toBe("1,000 images selected");
      expect(await page.textContent(".projector-panel")).toContain("True classes: Bag 1000.");

      // The custom projection comes back from its queries.
      await openProjector(page, app.url, "#/projector?method=custom&xfrom=Shirt&xto=T-shirt%2Ftop");
      expect(await stageAttr(page, "data-method")).toBe("custom");
      expect(await page.textContent(".axis-x")).toBe("x: true class Shirt → true class T-shirt/top");
    } finally {
      await page.close();
    }
  });

  it("downloads the selection (from a search) and the layout as CSV with the layout's coordinates", async () => {
    const {page} = app;
    await openProjector(page, app.url);
    await page.fill("#projector-search", "predicted:Shirt");
    const predictedShirt = metadataRows.flatMap((r, i) => (r.split("\t")[1] === "Shirt" ? [i] : []));
    expect(await selection(page)).toMatchObject({count: predictedShirt.length});
    await screenshot(page, "projector-selection-csv");
    const [selectionFile] = await Promise.all([page.waitForEvent("download"), page.click(".download-selection")]);
    expect(selectionFile.suggestedFilename()).toBe("fmnist-selection-umap-2d.csv");
    const [header, ...rows] = await readCsv(selectionFile);
    expect(header).toEqual(["index", "label", "prediction", "score", "x", "y"]);
    expect(rows.map((r) => Number(r[0]))).toEqual(predictedShirt);
    const layout = umap2d();
    for (const [index, label, prediction, score, x, y] of rows) {
      const i = Number(index);
      const row = metadata(i);
      expect([label, prediction]).toEqual([row.label, row.predicted]);
      expect(prediction).toBe("Shirt");
      expect(Number(score)).toBeCloseTo(row.score, 4);
      expect([Number(x), Number(y)]).toEqual(layout[i]);
    }

    await page.click('button[data-method="pca"]');
    await page.click('button[data-dim="3"]');
    const [layoutFile] = await Promise.all([page.waitForEvent("download"), page.click(".download-layout")]);
    expect(layoutFile.suggestedFilename()).toBe("fmnist-layout-pca-3d.csv");
    const [layoutHeader, ...points] = await readCsv(layoutFile);
    expect(layoutHeader).toEqual(["index", "x", "y", "z"]);
    expect(points).toHaveLength(projections.count);
    const pca3 = projections.projections.pca["3d"] ?? [];
    points.forEach(([i, ...xyz], k) => {
      expect(Number(i)).toBe(k);
      expect(xyz.map(Number)).toEqual(pca3[k]);
    });
    expect(CLASS_NAMES).toContain(rows[0][1]);
    expect(app.errors).toEqual([]);
  });

  it("says how to make the custom projection: the Custom button opens its form", async () => {
    const {page} = app;
    await openProjector(page, app.url);
    const button = page.locator('button[data-method="custom"]');
    expect(await button.isEnabled()).toBe(true);
    expect(await button.getAttribute("title")).toMatch(/^No custom projection yet: opens the form below/);
    expect(await page.getAttribute(".custom-projection", "open")).toBeNull();
    await button.click();
    expect(await page.getAttribute(".custom-projection", "open")).toBe("");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("custom-x-from");
    expect(await page.textContent(".custom-form")).toContain("Project shows the layout as the Custom method.");
    await page.click(".custom-form button[type=submit]");
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>(".projector-stage")?.dataset.method === "custom"
    );
    expect(await button.getAttribute("title")).toBe("The custom projection (2-D)");
    expect(await page.evaluate(() => location.hash)).toBe("#/projector?method=custom&xfrom=Sneaker&xto=Ankle%20boot");
  });
});
