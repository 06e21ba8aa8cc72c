/**
 * The attribution lab, its faithfulness curves, the counterfactual and a confusion pair's
 * contrastive maps in Chromium (WASM backend), on test images of the export with the shipped model.
 * The lab's per-method timings go to test-artifacts/web/lab-timings.json.
 */
import {mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";

import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {CLASS_NAMES} from "../../src/core/data/fashionMnist.js";
import {METHOD_INFO} from "../../src/core/viz/attribution/explanations.js";
import {ARTIFACTS, openApp, type AppSession} from "./browser.js";
import {camLabelled, colours} from "./classifyPage.js";

const LAB = '[data-testid="lab"]';
const CF = '[data-testid="counterfactual"]';
const SLOW = {timeout: 180_000};

let app: AppSession;
beforeAll(async () => {
  app = await openApp({query: "?backend=wasm"});
});
afterAll(async () => app?.close());

/** A fresh Classify view at `hash`, once its input is explained (the lab and counterfactual get it then). */
async function openExplained(page: Page, hash: string): Promise<void> {
  await page.goto("about:blank");
  await page.goto(`${app.url}${hash}`);
  await page.waitForSelector(".source-switch", {timeout: 90_000});
  await page.waitForFunction(() => {
    const root = document.getElementById("view");
    return root?.dataset.inputSeq !== undefined && root.dataset.inputSeq === root.dataset.explainedSeq;
  }, SLOW);
}

/** Waits for the `runs`-th finished lab run and returns the panel's data attributes. */
async function labRun(page: Page, runs: number): Promise<DOMStringMap> {
  await page.waitForFunction(
    ([selector, n]) => {
      const lab = document.querySelector<HTMLElement>(selector as string);
      return lab?.dataset.state === "done" && Number(lab.dataset.runs) >= (n as number);
    },
    [LAB, runs] as const,
    SLOW
  );
  return page.$eval(LAB, (el) => ({...(el as HTMLElement).dataset}));
}

/** Each method's time from the tiles, in ms, and the gradients Integrated Gradients took. */
async function tileTimes(page: Page): Promise<Record<string, number>> {
  const steps = Number(await page.getAttribute('[data-testid="ig-completeness"]', "data-steps"));
  return {...(await methodTimes(page)), "IG gradients": steps};
}

function methodTimes(page: Page): Promise<Record<string, number>> {
  return page.$$eval(`${LAB} .map-tile[data-ms]`, (tiles) =>
    Object.fromEntries(
      tiles.map((t) => [t.querySelector("strong")?.textContent ?? "", Number(t.getAttribute("data-ms"))])
    )
  );
}

/** A screenshot of part of the page (from the top of `from` to the bottom of `to`), for docs/screenshots. */
async function shot(page: Page, name: string, from: string, to = from): Promise<void> {
  // From the top of the page, so the sticky header stays at the top; boxes are then page coordinates.
  await page.evaluate(() => window.scrollTo(0, 0));
  const top = await page.locator(from).boundingBox();
  const bottom = await page.locator(to).boundingBox();
  if (!top || !bottom) throw new Error(`${from} is not on the page`);
  mkdirSync(ARTIFACTS, {recursive: true});
  const clip = {x: top.x - 8, y: top.y - 8, width: top.width + 16, height: bottom.y + bottom.height - top.y + 16};
  await page.screenshot({path: join(ARTIFACTS, `${name}.png`), clip, fullPage: true});
}

describe("attribution lab", () => {
  it("shows every method on one scale, IG's completeness within 1 %, and Grad-CAM beating a random deletion order", async () => {
    const {page} = app;
    await openExplained(page, "#/classify?test=0");
    expect(await page.textContent('[data-testid="prediction"]')).toBe("Ankle boot");
    // Lazy: nothing is computed before the button.
    expect(await page.getAttribute(LAB, "data-state")).toBe("idle");
    // The lab runs in a worker: while it works, the page answers (here: the CAM panel redraws as Grad-CAM).
    await page.evaluate(() => {
      const w = window as unknown as {longestFrame: number};
      w.longestFrame = 0;
      let last = performance.now();
      const tick = (now: number) => {
        w.longestFrame = Math.max(w.longestFrame, now - last);
        last = now;
        if (document.querySelector<HTMLElement>('[data-testid="lab"]')?.dataset.state !== "done") {
          requestAnimationFrame(tick);
        }
      };
      requestAnimationFrame(tick);
    });
    await page.click('[data-testid="lab-run"]');
    await page.waitForSelector(`${LAB} .map-tile[data-ms]`, SLOW);
    const t0 = performance.now();
    await page.selectOption("#cam-method", "gradcam");
    await camLabelled(page, "Grad-CAM for Ankle boot");
    const camMs = performance.now() - t0;
    expect(await page.getAttribute(LAB, "data-state")).toBe("running");
    const data = await labRun(page, 1);
    const longest = await page.evaluate(() => (window as unknown as {longestFrame: number}).longestFrame);
    process.stderr.write(
      `lab: CAM redrawn ${camMs.toFixed(0)} ms after the click while the lab ran; longest frame ${longest.toFixed(0)} ms\n`
    );
    expect(CLASS_NAMES[Number(data.classIndex)]).toBe("Ankle boot");
    const times = await methodTimes(page);
    expect(Object.keys(times).sort()).toEqual(
      Object.values(METHOD_INFO)
        .map((m) => m.title)
        .sort()
    );
    for (const [i, title] of Object.keys(times).entries()) {
      expect(times[title], title).toBeGreaterThan(0);
      const canvas = `${LAB} .map-tile:nth-child(${i + 2}) canvas`;
      expect(await colours(page, canvas), title).toBeGreaterThan(20);
    }
    const explanations = await page.$$eval(`${LAB} .map-tile-explanation`, (e) => e.map((x) => x.textContent));
    expect(explanations).toEqual(expect.arrayContaining(Object.values(METHOD_INFO).map((m) => m.explanation)));

    // Integrated Gradients: the attributions add up to f(x) - f(black) within 1 %.
    const gap = Number(await page.getAttribute('[data-testid="ig-completeness"]', "data-gap"));
    expect(gap).toBeLessThanOrEqual(0.01);
    expect(await page.textContent('[data-testid="ig-completeness"]')).toMatch(/Gap \d\.\d\d % \(\d+ gradients/);

    // Faithfulness: Grad-CAM's deletion curve falls faster than a random order's.
    const rows = await page.$$eval('[data-testid="faithfulness-table"] tbody tr', (trs) =>
      trs.map((tr) => ({
        method: tr.getAttribute("data-method"),
        deletion: Number(tr.getAttribute("data-deletion")),
        insertion: Number(tr.getAttribute("data-insertion"))
      }))
    );
    const random = rows.find((r) => r.method === "random");
    const gradCam = rows.find((r) => r.method === "Grad-CAM");
    expect(random && gradCam).toBeTruthy();
    expect(gradCam!.deletion).toBeLessThan(random!.deletion);
    expect(await page.locator(".faithfulness figure.chart svg polyline").count()).toBe(2 * rows.length);

    await shot(page, "lab", LAB, '[data-testid="ig-completeness"]');
    await shot(page, "faithfulness", ".faithfulness");
    process.stderr.write(`lab: ${await page.textContent(".lab-status")}\n`);

    // On a 390 px phone screen the lab's panels fit their width (the table scrolls in its own box).
    await page.setViewportSize({width: 390, height: 844});
    const overflowing = await page.$$eval(
      `${LAB}, ${LAB} .faithfulness-body > *`,
      (els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "auto").length
    );
    await page.setViewportSize({width: 1280, height: 900});
    expect(overflowing).toBe(0);
    expect(app.errors).toEqual([]);
  });

  it("keeps the tensor count flat over repeated runs, and records each method's time", async () => {
    const {page} = app;
    const timings: Record<string, number>[] = [await tileTimes(page)];
    const first = await labRun(page, 1);
    const classes = [9, 5, 7, 8, 0, 9];
    for (const [k, c] of classes.entries()) {
      await page.selectOption("#lab-class", String(c));
      const data = await labRun(page, k + 2);
      expect(data.classIndex).toBe(String(c));
      expect(data.tensors, `after run ${k + 2}`).toBe(first.tensors);
      timings.push(await tileTimes(page));
    }
    const ranges = Object.fromEntries(
      Object.keys(timings[0]).map((m) => {
        const ms = timings.map((t) => t[m]).sort((a, b) => a - b);
        return [m, {min: ms[0], median: ms[Math.floor(ms.length / 2)], max: ms[ms.length - 1]}];
      })
    );
    mkdirSync(ARTIFACTS, {recursive: true});
    writeFileSync(join(ARTIFACTS, "lab-timings.json"), `${JSON.stringify({runs: timings, ranges}, null, 2)}\n`);
    for (const [m, r] of Object.entries(ranges)) {
      process.stderr.write(
        `lab timing ${m}: ${r.min.toFixed(0)}-${r.max.toFixed(0)} (median ${r.median.toFixed(0)}; ms, or a count)\n`
      );
    }
    expect(app.errors).toEqual([]);
  });
});

describe("counterfactual", () => {
  it("turns a pullover into a coat within ε, showing the change and the CAM before and after", async () => {
    const {page} = app;
    await openExplained(page, "#/classify?test=1");
    expect(await page.textContent('[data-testid="prediction"]')).toBe("Pullover");
    await page.selectOption("#cf-target", String(CLASS_NAMES.indexOf("Coat")));
    expect(await page.getAttribute(CF, "data-state")).toBe("idle");
    await page.click('[data-testid="cf-run"]');
    await page.waitForFunction((s) => document.querySelector<HTMLElement>(s)?.dataset.state === "done", CF, SLOW);
    const data = await page.$eval(CF, (el) => ({...(el as HTMLElement).dataset}));
    expect(data.reached).toBe("true");
    expect(CLASS_NAMES[Number(data.predicted)]).toBe("Coat");
    expect(Number(data.maxChange)).toBeGreaterThan(0);
    expect(Number(data.maxChange)).toBeLessThanOrEqual(Number(data.epsilon) + 1e-6);
    expect(await page.textContent('[data-testid="cf-verdict"]')).toMatch(/^The network now reads it as Coat/);
    expect(await page.textContent(`${CF} h2`)).toBe("Counterfactual: what would make this a Coat?");
    for (let i = 1; i <= 5; i++)
      expect(await colours(page, `${CF} .map-tile:nth-child(${i}) canvas`)).toBeGreaterThan(5);
    process.stderr.write(`counterfactual: ${await page.textContent('[data-testid="cf-verdict"]')}\n`);
    await shot(page, "counterfactual", CF);

    // A smaller budget reruns it; the tensor count stays where it was.
    const tensors = await page.getAttribute("#view", "data-tensors");
    await page.$eval("#cf-epsilon", (el) => {
      const input = el as HTMLInputElement;
      input.value = "0.02";
      input.dispatchEvent(new Event("change"));
    });
    await page.waitForFunction((s) => document.querySelector<HTMLElement>(s)?.dataset.epsilon === "0.02", CF, SLOW);
    expect(Number(await page.getAttribute(CF, "data-max-change"))).toBeLessThanOrEqual(0.02 + 1e-6);
    expect(await page.evaluate(() => document.getElementById("view")?.dataset.tensors)).toBe(tensors);
    expect(app.errors).toEqual([]);
  });
});

describe("contrastive CAM of a confusion pair", () => {
  it("leads from a dashboard cell to the maps of 'why T-shirt/top rather than Shirt', and Back returns", async () => {
    const {page} = app;
    await page.goto("about:blank");
    await page.goto(`${app.url}#/dashboard`);
    const shirt = CLASS_NAMES.indexOf("Shirt");
    const tshirt = CLASS_NAMES.indexOf("T-shirt/top");
    await page.click(`table.confusion button[data-true="${shirt}"][data-predicted="${tshirt}"]`, SLOW);
    const count = Number(
      await page.getAttribute(`button[data-true="${shirt}"][data-predicted="${tshirt}"]`, "data-count")
    );
    await page.click('[data-testid="contrast-link"]');
    await page.waitForFunction(
      () => Number(document.querySelector<HTMLElement>('[data-testid="contrast"]')?.dataset.computed) > 0,
      undefined,
      SLOW
    );
    expect(await page.evaluate(() => location.hash)).toBe(`#/classify?true=${shirt}&predicted=${tshirt}`);
    expect(await page.textContent('[data-testid="contrast"] h2')).toBe("Why T-shirt/top rather than Shirt?");
    expect(Number(await page.getAttribute('[data-testid="contrast"]', "data-count"))).toBe(count);
    const maps = page.locator('[data-testid="contrast"] canvas.contrast-map');
    expect(await maps.count()).toBe(Math.min(24, count));
    expect(await colours(page, '[data-testid="contrast"] canvas.contrast-map >> nth=0')).toBeGreaterThan(20);
    // The cell's first image is the input below, with its true label.
    await page.locator('[data-testid="test-image-label"]').waitFor({state: "visible"});
    expect(await page.textContent('[data-testid="test-image-label"]')).toMatch(/true label: Shirt$/);
    process.stderr.write(`contrast: ${await page.textContent('[data-testid="contrast"] [aria-live]')}\n`);
    await shot(page, "contrast", '[data-testid="contrast"]');

    await page.goBack();
    await page.waitForFunction(() => document.getElementById("view")?.dataset.view === "dashboard");
    // The dashboard keeps the chosen cell in its URL (issue 17 item 7): Back shows it again.
    expect(await page.evaluate(() => location.hash)).toBe(`#/dashboard?cell=${shirt},${tshirt}`);
    await page.locator('[data-testid="contrast-link"]').waitFor({state: "visible"});
    expect(app.errors).toEqual([]);
  });
});
