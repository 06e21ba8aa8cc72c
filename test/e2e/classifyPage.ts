/** Helpers of the end-to-end tests that drive the Classify view. Not a test file itself. */
import type {Page} from "playwright-core";

export const PREDICTION = '[data-testid="prediction"]';

/** Waits until the prediction's text is not `notText`, and returns it. */
export async function waitForPrediction(page: Page, notText = "—"): Promise<string> {
  await page.waitForFunction(
    ([selector, old]) => {
      const text = document.querySelector(selector)?.textContent;
      return text !== undefined && text !== null && text !== old;
    },
    [PREDICTION, notText]
  );
  return (await page.textContent(PREDICTION)) ?? "";
}

/** A fresh Classify view of the app at `url` (a full load: going to the same hash would keep the old view). */
export async function openClassify(page: Page, url: string, hash = "#/classify"): Promise<void> {
  await page.goto("about:blank");
  await page.goto(`${url}${hash}`);
  // The first mount waits for TF.js and the model: slow when other processes load the machine.
  await page.waitForSelector(".source-switch", {timeout: 90_000});
}

/** Waits until the class activation map's label starts with `label` (e.g. "CAM for Bag", "Grad-CAM for Coat"). */
export async function camLabelled(page: Page, label: string): Promise<void> {
  await page.waitForFunction(
    (start) => document.querySelector('[data-testid="cam"]')?.getAttribute("aria-label")?.startsWith(start),
    label
  );
}

/** Waits until the explanations (CAM, feature maps) show the latest input: no more work is pending. */
export async function settled(page: Page): Promise<void> {
  // Two animation frames: a drawing change is handed over on the next one.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.waitForFunction(() => {
    const root = document.getElementById("view");
    return root?.dataset.inputSeq !== undefined && root.dataset.inputSeq === root.dataset.explainedSeq;
  });
}

/** Distinct colours and the grey-level spread of a canvas, to tell a picture from a blank one. */
export async function canvasStats(page: Page, selector: string): Promise<{colours: number; spread: number}> {
  return page.$eval(selector, (element) => {
    const canvas = element as HTMLCanvasElement;
    const data = canvas.getContext("2d")?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
    const colours = new Set<number>();
    let min = 255;
    let max = 0;
    for (let i = 0; i < data.length; i += 4) {
      // Alpha too: a cleared (transparent) canvas differs from a black one.
      colours.add(((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]) + data[i + 3] * 2 ** 24);
      const grey = (data[i] + data[i + 1] + data[i + 2]) / 3;
      min = Math.min(min, grey);
      max = Math.max(max, grey);
    }
    return {colours: colours.size, spread: max - min};
  });
}

/** Drags the mouse through `points` (fractions of the drawing pad) as one stroke. */
export async function stroke(page: Page, points: [number, number][]): Promise<void> {
  const box = await page.locator('[data-testid="draw-pad"]').boundingBox();
  if (!box) throw new Error("no drawing pad");
  const at = ([fx, fy]: [number, number]) => [box.x + fx * box.width, box.y + fy * box.height] as const;
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), {steps: 2});
  await page.mouse.up();
}

/** Distinct colours of a canvas: a drawn map has many, a blank one one (or none). */
export async function colours(page: Page, selector: string): Promise<number> {
  return (await canvasStats(page, selector)).colours;
}
