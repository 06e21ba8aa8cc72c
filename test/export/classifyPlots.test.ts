/**
 * The classify plots and report from hand-made activations (no model): what is drawn, at what
 * size, and how the folder is written (temporary folder first, never deleting the user's files).
 */
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {CLASS_NAMES} from "../../src/core/data/fashionMnist.js";
import {UserError} from "../../src/core/errors.js";
import {OVERLAY_SIZE, renderClassifyPlots, writeClassifyPlots} from "../../src/node/pictures/classifyPlots.js";
import {renderReport, type ClassifyPlotInput} from "../../src/node/pictures/report.js";
import {createRaster} from "../../src/core/image/raster.js";
import type {LayerActivation} from "../../src/core/model/forward.js";
import {readPixels, variance} from "../helpers/images.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "fmnist-plots-"));
});
afterAll(() => {
  rmSync(dir, {recursive: true, force: true});
});

function layer(name: string, className: string, shape: number[]): LayerActivation {
  const n = shape.reduce((a, b) => a * b, 1);
  return {name, className, shape, values: Float32Array.from({length: n}, (_, i) => Math.sin(i) + 1)};
}

/** A plausible input: a 60x40 photo, its 28x28 model input, two spatial layers and the head. */
function plotInput(overrides: Partial<ClassifyPlotInput> = {}): ClassifyPlotInput {
  const photo = createRaster(60, 40, 3, 255);
  const model = createRaster(28, 28, 1);
  for (let y = 8; y < 20; y++) for (let x = 6; x < 22; x++) model.data[y * 28 + x] = 200;
  const probabilities = new Float32Array(10).fill(0.01);
  probabilities[8] = 0.91;
  const heat = (h: number) => {
    const values = new Float32Array(h * h);
    values[Math.floor(h / 2) * h + Math.floor(h / 2)] = 1;
    return values;
  };
  return {
    file: "photos/bag <1>.jpg",
    classNames: [...CLASS_NAMES],
    probabilities,
    predicted: 8,
    ood: false,
    steps: [
      {id: "input_image", title: "Input image", raster: photo},
      {id: "greyscale_input", title: "Greyscale", raster: model},
      {id: "rescaled_model_input", title: "Model input", raster: model}
    ],
    inputRaster: model,
    layers: [
      layer("conv2d", "Conv2D", [26, 26, 64]),
      layer("max_pooling2d", "MaxPooling2D", [13, 13, 64]),
      layer("global_average_pooling2d", "GlobalAveragePooling2D", [64]),
      layer("dropout", "Dropout", [64]),
      {...layer("dense", "Dense", [10]), values: probabilities}
    ],
    cam: {height: 3, width: 3, values: heat(3), layer: "max_pooling2d", classIndex: 8},
    gradCam: {height: 13, width: 13, values: heat(13), layer: "conv2d", classIndex: 8},
    ...overrides
  };
}

const EXPECTED = [
  "input_image.png",
  "greyscale_input.png",
  "rescaled_model_input.png",
  "conv2d.png",
  "max_pooling2d.png",
  "global_average_pooling2d.png",
  "dense.png",
  "cam.png",
  "gradcam.png",
  "probabilities.png"
];

describe("renderClassifyPlots", () => {
  it("draws each step, each layer but dropout, CAM, Grad-CAM and the probabilities", async () => {
    const files = await renderClassifyPlots(plotInput());
    expect(files.map((f) => f.name)).toEqual(EXPECTED);
    for (const f of files) {
      expect(f.title.length, f.name).toBeGreaterThan(0);
      expect(f.description.length, f.name).toBeGreaterThan(20);
    }
    const byName = new Map(files.map((f) => [f.name, f]));
    const size = async (name: string) => {
      const r = await readPixels(byName.get(name)!.png);
      return [r.width, r.height];
    };
    expect(await size("input_image.png")).toEqual([60, 40]); // photos keep their size
    expect(await size("rescaled_model_input.png")).toEqual([280, 280]); // 28x28 enlarged 10x
    expect(await size("cam.png")).toEqual([OVERLAY_SIZE, OVERLAY_SIZE]);
    expect(await size("gradcam.png")).toEqual([OVERLAY_SIZE, OVERLAY_SIZE]);
    const [w, h] = await size("conv2d.png");
    expect(w).toBeGreaterThan(8 * 26 * 2); // 8x8 tiles at 2 px per activation, plus the colour scale
    expect(h).toBeGreaterThan(8 * 26 * 2);
    const grid = await readPixels(byName.get("conv2d.png")!.png);
    expect(variance(grid)).toBeGreaterThan(100);
  });

  it("puts the CAM peak where the map peaks: the centre", async () => {
    const files = await renderClassifyPlots(plotInput());
    const overlay = await readPixels(files.find((f) => f.name === "cam.png")!.png);
    const at = (x: number, y: number) => Array.from(overlay.data.subarray((y * 280 + x) * 3, (y * 280 + x) * 3 + 3));
    const [r, , b] = at(140, 140);
    expect(r).toBeGreaterThan(b); // red (hot) at the centre
    const [r0, , b0] = at(2, 2);
    expect(b0).toBeGreaterThan(r0); // blue (cold) in the corner
  });

  it("leaves CAM out for a model without one", async () => {
    const files = await renderClassifyPlots(plotInput({cam: undefined}));
    expect(files.map((f) => f.name)).not.toContain("cam.png");
    expect(files.map((f) => f.name)).toContain("gradcam.png");
  });
});

describe("renderReport", () => {
  it("is one self-contained page with every picture inlined and the prediction", async () => {
    const input = plotInput();
    const files = await renderClassifyPlots(input);
    const html = renderReport(input, files);
    expect(html.match(/<img src="data:image\/png;base64,/g)).toHaveLength(files.length);
    expect(html).not.toMatch(/src="(?!data:)/);
    expect(html).toContain("Prediction: <strong>Bag</strong> with probability 0.9100");
    expect(html).toContain("photos/bag &lt;1&gt;.jpg"); // the file name is escaped
    expect(html).not.toContain("does not look like");
    const ood = renderReport({...input, ood: true, oodReason: "kNN distance 0.912 > 0.402"}, files);
    // Said plainly first; the class after it, the numbers on their own line.
    expect(ood).toContain(
      '<p class="verdict"><span class="ood">This does not look like a Fashion-MNIST garment.</span> The closest class is <strong>Bag</strong> (probability 0.9100).</p>'
    );
    expect(ood).toContain("<p>Details: kNN distance 0.912 &gt; 0.402</p>");
  });
});

describe("writeClassifyPlots", () => {
  it("writes every picture and report.html into a new folder, leaving no temporary folder", async () => {
    const target = join(dir, "new", "bag");
    const names = await writeClassifyPlots(target, plotInput());
    expect(names).toEqual([...EXPECTED, "report.html"]);
    expect(readdirSync(target).sort()).toEqual([...names, ".fmnist-owned.json"].sort());
    expect(readdirSync(join(dir, "new"))).toEqual(["bag"]);
    expect(readFileSync(join(target, "report.html"), "utf8")).toContain("<!doctype html>");
  });

  it("replaces a folder it wrote, and refuses (changing nothing) one holding anything else", async () => {
    const target = join(dir, "again");
    await writeClassifyPlots(target, plotInput());
    await writeClassifyPlots(target, plotInput()); // its own folder: replaced
    expect(readdirSync(target)).toHaveLength(EXPECTED.length + 2);

    const mine = join(dir, "mine");
    mkdirSync(join(mine, "sub"), {recursive: true});
    writeFileSync(join(mine, "notes.txt"), "keep me");
    writeFileSync(join(mine, "cam.png"), "old");
    const error = await writeClassifyPlots(mine, plotInput()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      `${mine} is not empty and holds no classify plots written by fmnist; choose an empty or new --plot-dir folder`
    );
    expect(readdirSync(mine).sort()).toEqual(["cam.png", "notes.txt", "sub"]);
    expect(readFileSync(join(mine, "cam.png"), "utf8")).toBe("old");

    writeFileSync(join(target, "notes.txt"), "added by the user");
    await expect(writeClassifyPlots(target, plotInput())).rejects.toThrow(
      `${target} holds notes.txt, which fmnist did not write; move it away or choose another --plot-dir (nothing was changed)`
    );
    expect(readdirSync(dir).filter((n) => n.includes(".tmp") || n.endsWith(".lock"))).toEqual([]);
  });

  it("fails with a one-line error when the target is a file, and leaves nothing behind", async () => {
    const target = join(dir, "taken");
    writeFileSync(target, "a file");
    const error = await writeClassifyPlots(target, plotInput()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(`${target} exists and is not a folder; choose another --plot-dir`);
    expect(readFileSync(target, "utf8")).toBe("a file");
    expect(readdirSync(dir).filter((n) => n.includes(".tmp"))).toEqual([]);
  });

  it("leaves nothing behind when drawing fails", async () => {
    const target = join(dir, "broken");
    // A photo whose buffer is shorter than its size says: sharp refuses to encode it.
    const photo = {width: 100, height: 100, channels: 3 as const, data: new Uint8Array(3)};
    const bad = plotInput({steps: [{id: "input_image", title: "Input image", raster: photo}]});
    await expect(writeClassifyPlots(target, bad)).rejects.toThrow();
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.includes(".tmp"))).toEqual([]);
  });
});
