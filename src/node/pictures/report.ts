/** The self-contained report.html of `fmnist classify --save-plots`: every picture inlined, with a legend. */
import type {PreprocessStep} from "../../core/image/preprocess.js";
import type {Raster} from "../../core/image/raster.js";
import type {LayerActivation} from "../../core/model/forward.js";
import {NOT_A_GARMENT} from "../../core/model/ood.js";
import type {HeatMap} from "../../core/viz/cam.js";
import {escapeXml} from "../../core/viz/svg.js";
import {pngDataUri} from "../image/encode.js";
import {COUNTERFACTUAL_FILE, FAITHFULNESS_FILE, LAB_FILE, labReportSection, type LabPlotInput} from "./labPlots.js";

/** The picture of the model's 28x28 input, after the preprocessing steps. */
export const MODEL_INPUT_FILE = "rescaled_model_input.png";

/** What the pictures and the report of one classified image are made from. */
export interface ClassifyPlotInput {
  file: string;
  classNames: string[];
  probabilities: Float32Array;
  predicted: number;
  ood: boolean;
  oodReason?: string;
  steps: PreprocessStep[];
  inputRaster: Raster;
  layers: LayerActivation[];
  cam?: HeatMap;
  gradCam: HeatMap;
  /** The attribution lab (and the counterfactual), when computed. */
  lab?: LabPlotInput;
}

/** A picture that went into the report. */
export interface PlotFile {
  name: string;
  title: string;
  description: string;
  png: Uint8Array;
}

const STYLE = `
body{font-family:"DejaVu Sans",system-ui,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
.verdict{font-size:1.3rem;margin:.5rem 0 1rem} .ood{color:#b35900;font-weight:bold}
figure{margin:1rem 0} figure img{max-width:100%;image-rendering:pixelated;border:1px solid #eee}
figcaption{color:#444;font-size:.92rem;max-width:800px} .row{display:flex;flex-wrap:wrap;gap:1rem}
.row figure{flex:0 0 auto;max-width:300px}
.methods{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;font-size:.92rem;max-width:900px}
.methods dt{font-weight:bold} .methods dd{margin:0}`;

const LAB_NAMES = [LAB_FILE, FAITHFULNESS_FILE, COUNTERFACTUAL_FILE];

function figure(f: PlotFile): string {
  return `<figure><img src="${pngDataUri(f.png)}" alt="${escapeXml(f.title)}"><figcaption><strong>${escapeXml(f.title)}.</strong> ${escapeXml(f.description)}</figcaption></figure>`;
}

export function renderReport(p: ClassifyPlotInput, files: PlotFile[]): string {
  const byName = new Map(files.map((f) => [f.name, f]));
  const stepNames = [...p.steps.map((s) => `${s.id}.png`), MODEL_INPUT_FILE].filter((n, i, a) => a.indexOf(n) === i);
  const layerFiles = files.filter(
    (f) =>
      !stepNames.includes(f.name) && ![...LAB_NAMES, "cam.png", "gradcam.png", "probabilities.png"].includes(f.name)
  );
  const label = p.classNames[p.predicted];
  const score = p.probabilities[p.predicted];
  const pick = (names: string[]) => names.map((n) => byName.get(n)).filter((f): f is PlotFile => f !== undefined);
  const labFiles = pick(LAB_NAMES);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(label)}: how the network saw ${escapeXml(p.file)}</title>
<style>${STYLE}</style></head><body>
<h1>How the network saw <code>${escapeXml(p.file)}</code></h1>
<p class="verdict">${
    p.ood
      ? `<span class="ood">${escapeXml(NOT_A_GARMENT.replace(/^t/, "T"))}.</span> The closest class is <strong>${escapeXml(label)}</strong> (probability ${score.toFixed(4)}).</p>\n<p>Details: ${escapeXml(p.oodReason ?? "")}`
      : `Prediction: <strong>${escapeXml(label)}</strong> with probability ${score.toFixed(4)}`
  }</p>
${pick(["probabilities.png"]).map(figure).join("\n")}
<h2>1. From photo to model input</h2>
<p>The network was trained on 28x28 greyscale images of single garments, bright on black. Every photo is brought into that form first.</p>
<div class="row">${pick(stepNames).map(figure).join("\n")}</div>
<h2>2. Where the network looked</h2>
<div class="row">${pick(["cam.png", "gradcam.png"]).map(figure).join("\n")}</div>
${labFiles.length > 0 ? labReportSection(labFiles, "Why: the attribution lab") : ""}
<h2>3. Inside the network, layer by layer</h2>
<p>Each picture shows one layer's output for this image. Colours go from dark purple (no response) to yellow (strongest response in that layer).</p>
${layerFiles.map(figure).join("\n")}
</body></html>
`;
}
