/**
 * Writes the pictures of one classified image (Node only): the preprocessing steps, every layer's
 * feature maps, the GAP and dense strips, CAM and Grad-CAM overlays, and a self-contained
 * report.html. Everything is written into a temporary folder first and moved into place at the
 * end, so a failure never leaves a half-written plot folder, and a folder fmnist did not write is
 * never replaced.
 */
import {basename, extname} from "node:path";

import {ClaimedDir, type DirSpec} from "../fs/atomicDir.js";
import {encodePng, pngDataUri, svgToPng} from "../image/encode.js";
import {upscaleNearest, type Raster} from "../../core/image/raster.js";
import {featureFigureSvg, probabilityBarsSvg, stripSvg} from "../../core/viz/classifyCharts.js";
import {featureGrid} from "../../core/viz/featureGrid.js";
import {heatOverlay} from "../../core/viz/heatOverlay.js";
import {renderLabPlots} from "./labPlots.js";
import {MODEL_INPUT_FILE, renderReport, type ClassifyPlotInput, type PlotFile} from "./report.js";

/** Side of the CAM overlays and the upscaled model input, in pixels (28 x 10). */
export const OVERLAY_SIZE = 280;

async function rasterPng(r: Raster): Promise<Uint8Array> {
  return encodePng(r.data, r.width, r.height, r.channels);
}

/** Renders every picture in memory. */
export async function renderClassifyPlots(p: ClassifyPlotInput): Promise<PlotFile[]> {
  const files: PlotFile[] = [];
  const stepDescriptions: Record<string, string> = {
    input_image: "The photo as decoded: EXIF rotation applied, transparency flattened onto white.",
    greyscale_input: "The network sees one brightness channel, so colour is dropped.",
    rescaled_model_input:
      "What the network actually receives: 28x28 pixels, shown enlarged with each pixel as a square.",
    trimmed: "Borders that match the corner colour are cut away, so the object fills the frame.",
    resized: "The longest edge is scaled to 28 pixels, keeping the proportions.",
    sharpened: "A light sharpening brings back edges lost in the downscaling.",
    padded: "The short edge is padded to 28 pixels with the background colour, object centred.",
    negated: "Fashion-MNIST images are bright objects on black, so the intensities are inverted."
  };
  const seen = new Set<string>();
  const modelInput = {
    id: MODEL_INPUT_FILE.replace(/\.png$/, ""),
    title: "The model's 28x28 input",
    raster: p.inputRaster
  };
  for (const step of [...p.steps, modelInput]) {
    if (seen.has(step.id)) continue;
    seen.add(step.id);
    // Model-sized steps are enlarged 10x (nearest neighbour) so their pixels stay visible.
    const small = Math.max(step.raster.width, step.raster.height) <= 56;
    const r = small ? upscaleNearest(step.raster, 10) : step.raster;
    files.push({
      name: `${step.id}.png`,
      title: step.title,
      description: stepDescriptions[step.id] ?? "",
      png: await rasterPng(r)
    });
  }
  for (const layer of p.layers) {
    if (layer.shape.length === 3) {
      const grid = featureGrid(layer.values, layer.shape as [number, number, number]);
      const uri = pngDataUri(await rasterPng(grid.raster));
      const [h, w, c] = layer.shape;
      const svg = featureFigureSvg({
        title: `${layer.name} (${layer.className})`,
        subtitle: `${c} feature maps of ${h}x${w}, one shared colour scale`,
        imageUri: uri,
        imageWidth: grid.raster.width,
        imageHeight: grid.raster.height,
        min: grid.min,
        max: grid.max,
        colormap: "viridis"
      });
      files.push({
        name: `${layer.name}.png`,
        title: `${layer.name} (${layer.className})`,
        description: layerDescription(layer.className, h, w, c),
        png: await svgToPng(svg)
      });
    } else if (layer.shape.length === 1 && layer.className !== "Dropout") {
      const isOutput = layer.values.length === p.classNames.length && layer.className === "Dense";
      const svg = stripSvg({
        title: `${layer.name} (${layer.className})`,
        subtitle: isOutput
          ? "class probabilities (softmax output)"
          : `the ${layer.values.length}-dimensional embedding: each feature map averaged to one number`,
        values: layer.values,
        labels: isOutput ? p.classNames : undefined,
        highlight: isOutput ? p.predicted : undefined,
        colormap: "viridis"
      });
      files.push({
        name: `${layer.name}.png`,
        title: `${layer.name} (${layer.className})`,
        description: isOutput
          ? "The final layer: one probability per class. The outlined cell is the prediction."
          : "Global average pooling turns each of the last feature maps into one number. This vector is the image's embedding: what the classifier decides from, and what the embedding projector shows.",
        png: await svgToPng(svg)
      });
    }
  }
  if (p.cam) {
    files.push({
      name: "cam.png",
      title: `Class activation map: ${p.classNames[p.cam.classIndex]}`,
      description: `Where the evidence for "${p.classNames[p.cam.classIndex]}" lies: the last feature maps (${p.cam.layer}) weighted by the dense layer's weights for that class. Red is strong evidence, blue none.`,
      png: await rasterPng(heatOverlay(p.inputRaster, p.cam, OVERLAY_SIZE))
    });
  }
  files.push({
    name: "gradcam.png",
    title: `Grad-CAM at ${p.gradCam.layer}: ${p.classNames[p.gradCam.classIndex]}`,
    description: `Grad-CAM: the feature maps of ${p.gradCam.layer} weighted by how much the class score rises with each of them (its gradient), keeping only positive evidence.`,
    png: await rasterPng(heatOverlay(p.inputRaster, p.gradCam, OVERLAY_SIZE))
  });
  files.push({
    name: "probabilities.png",
    title: "Class probabilities",
    description: "The network's confidence for each class.",
    png: await svgToPng(probabilityBarsSvg(p.classNames, p.probabilities, p.predicted))
  });
  if (p.lab) files.push(...(await renderLabPlots(p.lab)));
  return files;
}

function layerDescription(className: string, h: number, w: number, c: number): string {
  switch (className) {
    case "Conv2D":
      return `A convolution: ${c} learned 3x3 filters slide over the previous layer, each producing one ${h}x${w} map that lights up where its pattern appears (edges and strokes early on, parts of garments deeper in), after a ReLU that zeroes negative responses.`;
    case "MaxPooling2D":
      return `Max pooling keeps the strongest response in each 2x2 block, halving the resolution to ${h}x${w} so later filters see a larger area.`;
    case "BatchNormalization":
      return `Batch normalisation rescales each of the ${c} maps with statistics learned in training, keeping values in a range the next layer expects.`;
    default:
      return `${c} maps of ${h}x${w}.`;
  }
}

/** A plot folder: replaced only when fmnist wrote it (its marker lists every file). */
export const PLOT_DIR: DirSpec = {kind: "plots", option: "--plot-dir", label: "classify plots"};

/**
 * Writes the pictures and report.html into the folder `dir`, replacing it as a whole (see
 * ../fs/atomicDir.ts): a new or empty folder, or one an earlier `fmnist classify` wrote and
 * nobody added files to; any other folder is refused with nothing changed.
 */
export async function writeClassifyPlots(dir: string, p: ClassifyPlotInput): Promise<string[]> {
  const files = await renderClassifyPlots(p);
  const html = renderReport(p, files);
  const target = await ClaimedDir.claim(dir, PLOT_DIR);
  try {
    return await target.commit(async (writer) => {
      for (const f of files) await writer.write(f.name, f.png);
      await writer.write("report.html", html);
    });
  } finally {
    await target.release();
  }
}

/** Longest per-image folder name, in characters. */
export const MAX_PLOT_NAME = 64;

/**
 * A folder name for the plots of image `file`, unique among `used` (compared without case, as on
 * case-insensitive file systems) and always a plain name inside the plot folder: letters, digits,
 * `_`, `-` and inner dots, at most {@link MAX_PLOT_NAME} characters. Adds it to `used`.
 */
export function plotFolderName(file: string, used: Set<string>): string {
  const stem = basename(file, extname(file)).normalize("NFC");
  const cleaned = stem
    .replace(/[^\p{L}\p{N}_.-]+/gu, "_")
    .replace(/^[._-]+|[._]+$/g, "")
    .slice(0, MAX_PLOT_NAME - 4);
  const base = /[\p{L}\p{N}]/u.test(cleaned) ? cleaned : "image";
  let name = base;
  for (let k = 2; used.has(name.toLowerCase()); k++) name = `${base}_${k}`;
  used.add(name.toLowerCase());
  return name;
}
