/**
 * Fifty interactions in Classify (issue 17): test images one after another, the map's method,
 * class and layer pickers, photos from disk and drawings. The page's TF.js tensor count after each
 * settled interaction stays what it was after the first round (only the model's weights are held),
 * no page error occurs, and no request goes anywhere but the local server.
 */
import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {openApp, type AppSession} from "./browser.js";
import {settled, stroke} from "./classifyPage.js";

const PHOTOS = ["ankle_boot.png", "black_bag.jpg", "dress.webp", "pullover.jpg", "sneaker.jpg", "trousers.jpg"];

let app: AppSession;
const requests: string[] = [];
beforeAll(async () => {
  app = await openApp({query: "?backend=wasm"});
  app.page.on("request", (request) => requests.push(request.url()));
});
afterAll(async () => app?.close());

/** Waits until every input so far is explained, and returns the page's tensor count then. */
async function settledTensors(page: Page): Promise<number> {
  await settled(page);
  return Number(await page.getAttribute("#view", "data-tensors"));
}

describe("fifty interactions", () => {
  it("keep the tensor count flat, raise no error and fetch only from the local server", async () => {
    const {page} = app;
    await page.goto(`${app.url}#/classify?test=0`);
    await page.waitForSelector(".source-switch", {timeout: 90_000});
    const counts: number[] = [];
    for (let k = 0; k < 50; k++) {
      switch (k % 5) {
        case 0:
          await page.click('.test-nav a:has-text("next test image")');
          await page.waitForFunction((i) => location.hash.includes(`test=${i}`), k / 5 + 1);
          await page.waitForSelector("#cam-method");
          break;
        case 1:
          await page.selectOption("#cam-method", k % 2 ? "gradcam" : "cam");
          break;
        case 2:
          await page.selectOption("#cam-class", String(k % 10));
          break;
        case 3:
          await page.setInputFiles("#file-input", `sample_images/${PHOTOS[k % PHOTOS.length]}`);
          break;
        case 4:
          await page.click('[data-source="draw"]');
          await stroke(page, [
            [0.2, 0.2 + 0.05 * (k % 6)],
            [0.8, 0.7]
          ]);
          await page.click('[data-source="file"]');
          // Back to a test image for the next round's "next" link.
          await page.goto(`${app.url}#/classify?test=${(k + 1) / 5}`);
          break;
      }
      counts.push(await settledTensors(page));
    }
    // After the first round every pass is freed: the count is the same after each interaction.
    expect(counts.every((c) => c > 0)).toBe(true); // the model's weights at least: the count is read
    expect(new Set(counts.slice(5)).size, `tensor counts ${counts.join(" ")}`).toBe(1);
    expect(app.errors).toEqual([]);
    const origin = new URL(app.url).origin;
    const elsewhere = requests.filter((url) => !url.startsWith(origin) && !/^(data|blob):/.test(url));
    expect(elsewhere).toEqual([]);
    expect(requests.length).toBeGreaterThan(10);
  });
});
