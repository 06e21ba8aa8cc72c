/**
 * Classify & explain in Chromium: a sample photo, hostile files, drawing, the fake webcam with a
 * project-made clip, and a test image from the export.
 */
import {readFileSync, rmSync} from "node:fs";
import {dirname} from "node:path";

import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {CLASS_NAMES} from "../../src/core/data/fashionMnist.js";
import {LAYER_NAMES} from "../../src/core/model/cnn.js";
import {openApp, screenshot, type AppSession} from "./browser.js";
import {
  camLabelled,
  canvasStats,
  openClassify,
  PREDICTION,
  settled,
  stroke,
  waitForPrediction
} from "./classifyPage.js";
import {writeFakeWebcamClip} from "./fakeWebcam.js";

let app: AppSession;
beforeAll(async () => {
  // WASM: on this CPU-only machine Chromium's WebGL is SwiftShader, 10 to 70 times slower than
  // WASM for this model, and with the webcam's 4 frames a second it starves the page.
  app = await openApp({query: "?backend=wasm"});
});
afterAll(async () => app?.close());

describe("classify view", () => {
  it("classifies an uploaded photo, shows its preprocessing, a CAM and every layer's feature maps", async () => {
    const {page} = app;
    await openClassify(page, app.url);
    await page.waitForSelector("#file-input", {state: "attached"});
    await page.setInputFiles("#file-input", "sample_images/ankle_boot.png");
    expect(await waitForPrediction(page)).toBe("Ankle boot");
    expect(await page.isHidden('[data-testid="ood-warning"]')).toBe(true);
    const steps = await page.$$eval(".step figcaption", (els) => els.map((e) => e.textContent));
    expect(steps).toHaveLength(7);
    expect(steps[0]).toBe("Input image");
    expect(steps[6]).toMatch(/model's 28×28 input/);
    // The most likely class comes first, and the bars add up to 100 %.
    const rows = await page.$$eval(".prob-row", (els) =>
      els.map((e) => [
        e.querySelector(".prob-name")?.textContent,
        parseFloat(e.querySelector(".prob-value")?.textContent ?? "")
      ])
    );
    expect(rows[0][0]).toBe("Ankle boot");
    expect(rows.reduce((s, r) => s + Number(r[1]), 0)).toBeCloseTo(100, 0);

    await camLabelled(page, "CAM for Ankle boot");
    const cam = await canvasStats(page, '[data-testid="cam"]');
    expect(cam.colours).toBeGreaterThan(100);
    expect(cam.spread).toBeGreaterThan(100);
    await page.waitForSelector(".feature-layer");
    const layers = await page.$$eval(".feature-layer", (els) => els.map((e) => (e as HTMLElement).dataset.layer));
    expect(layers).toEqual([...LAYER_NAMES]);
    expect(await page.$$eval('.feature-layer[data-layer="conv2d"] .feature-tile', (t) => t.length)).toBe(64);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, "classify-upload");
    process.stderr.write(`classify upload: ${await page.textContent('[data-testid="timing"]')}\n`);

    // Grad-CAM at another layer and for another class draws another map.
    const before = await page.$eval('[data-testid="cam"]', (c) => (c as HTMLCanvasElement).toDataURL());
    await page.selectOption("#cam-method", "gradcam");
    await page.selectOption("#cam-layer", "conv2d_3");
    await page.selectOption("#cam-class", "7");
    expect(await page.getAttribute('[data-testid="cam"]', "aria-label")).toMatch(
      /^Grad-CAM for Sneaker from layer conv2d_3 \(11×11 map\)/
    );
    expect(await page.$eval('[data-testid="cam"]', (c) => (c as HTMLCanvasElement).toDataURL())).not.toBe(before);

    // A feature map opens enlarged by keyboard, with its value range, and Escape closes it.
    await page.focus('.feature-layer[data-layer="conv2d_1"] .feature-tile >> nth=5');
    await page.keyboard.press("Enter");
    const dialog = '[data-testid="feature-dialog"]';
    await page.waitForSelector(`${dialog}[open]`);
    expect(await page.textContent(`${dialog} h2`)).toBe("conv2d_1, channel 5");
    expect(await page.textContent(dialog)).toMatch(/26×26 values from -?[\d.e+-]+ to [\d.e+-]+/);
    expect((await canvasStats(page, `${dialog} canvas`)).colours).toBeGreaterThan(5);
    await page.keyboard.press("Escape");
    await page.waitForSelector(`${dialog}:not([open])`, {state: "attached"});
    expect(app.errors).toEqual([]);
  });

  it("takes a dropped file, and flags a chessboard as unlike Fashion-MNIST", async () => {
    const {page} = app;
    await openClassify(page, app.url);
    const bytes = readFileSync("sample_images/black_bag.jpg").toString("base64");
    await page.evaluate((base64) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], "black_bag.jpg", {type: "image/jpeg"}));
      const zone = document.querySelector(".drop-zone");
      for (const type of ["dragenter", "dragover", "drop"]) {
        zone?.dispatchEvent(new DragEvent(type, {dataTransfer: transfer, bubbles: true, cancelable: true}));
      }
    }, bytes);
    expect(await waitForPrediction(page)).toBe("Bag");
    expect(await page.textContent(".file-info")).toBe("black_bag.jpg: 584×520 pixels");
    expect(await page.isHidden('[data-testid="ood-warning"]')).toBe(true);
    await settled(page);
    const tensors = await page.getAttribute("#view", "data-tensors");
    expect(tensors).toMatch(/^\d+$/);

    await page.setInputFiles("#file-input", "sample_images/not_fashion_chessboard.png");
    await page.waitForSelector('[data-testid="ood-warning"]:not([hidden])');
    expect(await page.textContent('[data-testid="ood-warning"]')).toMatch(
      /^⚠ This does not look like a Fashion-MNIST garment\.$/
    );
    // Every tensor of a prediction, its CAM and its feature maps is freed: only the model's stay.
    await settled(page);
    expect(await page.getAttribute("#view", "data-tensors")).toBe(tensors);
    expect(app.errors).toEqual([]);
  });

  it("refuses files the browser cannot decode and images over 50 megapixels, with a message", async () => {
    const {page} = app;
    await page.setInputFiles("#file-input", {
      name: "notes.png",
      mimeType: "image/png",
      buffer: Buffer.from("just text")
    });
    await page.waitForSelector(".input-message:not([hidden])");
    expect(await page.textContent(".input-message")).toMatch(
      /"notes.png" \(image\/png\) is not an image this browser can decode/
    );
    // A real PNG header claiming 100,000 × 90,000 pixels: refused before decoding.
    const header = Buffer.from("89504e470d0a1a0a0000000d49484452000186a000015f900806000000", "hex");
    await page.setInputFiles("#file-input", {name: "huge.png", mimeType: "image/png", buffer: header});
    await page.waitForFunction(() => document.querySelector(".input-message")?.textContent?.includes("megapixels"));
    expect(await page.textContent(".input-message")).toContain('"huge.png" is 100000×90000 (9000.0 megapixels)');
  });

  it("updates the prediction while drawing: two legs and a filled block give different classes", async () => {
    const {page} = app;
    await openClassify(page, app.url);
    await page.click('button[data-source="draw"]');
    await page.click(".clear-button");
    // An upside-down V: a pair of trousers' legs.
    await stroke(page, [
      [0.35, 0.9],
      [0.42, 0.1],
      [0.58, 0.1],
      [0.65, 0.9]
    ]);
    await settled(page);
    const legs = await page.textContent(PREDICTION);
    expect(legs).toBe("Trouser");
    await page.click(".clear-button");
    const rows: [number, number][] = [];
    for (let y = 0.2; y <= 0.8; y += 0.05) rows.push([0.2, y], [0.8, y]);
    const t0 = performance.now();
    await stroke(page, rows);
    process.stderr.write(`classify draw: ${rows.length}-point stroke took ${(performance.now() - t0).toFixed(0)} ms\n`);
    await settled(page);
    expect(await page.textContent(PREDICTION)).toBe("Bag");
    expect(await page.getAttribute('[data-testid="cam"]', "aria-label")).toMatch(/^CAM for Bag /);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, "classify-draw");
    process.stderr.write(`classify draw: ${await page.textContent('[data-testid="timing"]')}\n`);
    expect(app.errors).toEqual([]);
  });

  it("draws from the keyboard: arrow keys move the pen, Space lowers it, Delete clears", async () => {
    const {page} = app;
    await openClassify(page, app.url);
    await page.click('button[data-source="draw"]');
    await page.focus('[data-testid="draw-pad"]');
    await page.keyboard.press("Delete");
    const press = async (key: string, times = 1) => {
      for (let i = 0; i < times; i++) await page.keyboard.press(key);
    };
    // Two straight legs and a waistband (an upside-down U), in image pixels from the centre (14, 14):
    // pen up to (10, 25), down, up to (10, 3), across to (18, 3), down to (18, 25).
    await press("ArrowLeft", 4);
    await press("ArrowDown", 11);
    expect(await page.isVisible(".draw-cursor")).toBe(true);
    await press(" ");
    await press("ArrowUp", 22);
    await press("ArrowRight", 8);
    await press("ArrowDown", 22);
    await press(" ");
    await settled(page);
    // The keyboard's drawing reached the model: a class is named (which one is the model's reading of an
    // outline, not what this test is about; the mouse test above checks shapes against classes).
    const predicted = await page.textContent(PREDICTION);
    expect(CLASS_NAMES as readonly (string | null)[]).toContain(predicted);
    expect(await page.getAttribute('[data-testid="cam"]', "aria-label")).toMatch(new RegExp(`^CAM for ${predicted} `));
    const drawn = await canvasStats(page, '[data-testid="draw-pad"]');
    expect(drawn.spread).toBe(255);
    await press("Delete");
    await settled(page);
    expect((await canvasStats(page, '[data-testid="draw-pad"]')).spread).toBe(0);
    // An empty pad is not classified: no class is shown.
    expect(await page.textContent(PREDICTION)).toBe("—");
    expect(await page.textContent(".results .confidence")).toBe("The pad is empty: draw a garment.");
    expect(app.errors).toEqual([]);
  });

  it("says so when no camera can be used", async () => {
    const {page} = app;
    await openClassify(page, app.url);
    await page.click('button[data-source="webcam"]');
    await page.click("text=Start webcam");
    await page.waitForSelector(".webcam-status.error-text");
    expect(await page.textContent(".webcam-status")).toMatch(/Camera access was denied|No camera was found/);
  });

  it("opens a test image from the link #/classify?test=N with its true label", async () => {
    const {page} = app;
    await openClassify(page, app.url, "#/classify?test=0");
    await page.waitForSelector('[data-testid="test-image-label"]:not([hidden])');
    expect(await page.textContent('[data-testid="test-image-label"]')).toBe("Test image 0 · true label: Ankle boot");
    expect(await waitForPrediction(page)).toBe("Ankle boot");
    expect(await page.textContent('[data-step="test"] figcaption')).toContain("Test image 0");
    await page.click("text=next test image →");
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="test-image-label"]')?.textContent?.startsWith("Test image 1 ")
    );
    expect(await page.textContent('[data-testid="test-image-label"]')).toBe("Test image 1 · true label: Pullover");
    expect(app.errors).toEqual([]);
  });
});

describe("classify view with Chromium's fake webcam", () => {
  let clip: string;
  let session: AppSession;
  beforeAll(async () => {
    clip = await writeFakeWebcamClip("sample_images/trousers.jpg");
    session = await openApp({
      args: [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        `--use-file-for-fake-video-capture=${clip}`
      ],
      permissions: ["camera"],
      query: "?backend=wasm"
    });
  });
  afterAll(async () => {
    await session?.close();
    if (clip) rmSync(dirname(clip), {recursive: true, force: true});
  });

  it("classifies the webcam's frames and stops the stream", async () => {
    const {page} = session;
    await openClassify(page, session.url);
    await page.click('button[data-source="webcam"]');
    await page.click("text=Start webcam");
    expect(await waitForPrediction(page)).toBe("Trouser");
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="cam"]')?.getAttribute("aria-label")?.includes(" for Trouser")
    );
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, "classify-webcam");
    await page.click("text=Stop");
    expect(await page.$eval(".webcam-video", (v) => (v as HTMLVideoElement).srcObject)).toBeNull();
    expect(await page.textContent(".webcam-status")).toBe("The camera is off.");

    // Leaving the view ends the stream too: keep a handle on its tracks, then go to another view.
    await page.click("text=Start webcam");
    await page.waitForFunction(() =>
      document.querySelector(".webcam-status")?.textContent?.startsWith("The camera is on")
    );
    await page.evaluate(() => {
      const stream = (document.querySelector(".webcam-video") as HTMLVideoElement).srcObject as MediaStream;
      (window as unknown as {tracks: MediaStreamTrack[]}).tracks = stream.getTracks();
    });
    await page.click('nav a[data-view="model"]');
    await page.waitForSelector(".layer-box");
    const states = await page.evaluate(() =>
      (window as unknown as {tracks: MediaStreamTrack[]}).tracks.map((t) => t.readyState)
    );
    expect(states).toEqual(["ended"]);
    expect(session.errors).toEqual([]);
  });
});
