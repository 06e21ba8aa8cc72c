/**
 * The attribution lab's pictures for `fmnist classify --save-plots` (Node only): the maps side by
 * side (attribution_lab.png), their deletion and insertion curves (faithfulness.png), and with
 * `--counterfactual` the changed image, the difference and the moved CAM (counterfactual.png),
 * plus the report section that shows them.
 */
import type {Lab} from "../../core/viz/attribution/lab.js";
import type {Counterfactual} from "../../core/viz/attribution/counterfactual.js";
import {METHOD_INFO, contrastExplanation} from "../../core/viz/attribution/explanations.js";
import {heatMapAttribution} from "../../core/viz/attribution/types.js";
import type {HeatMap} from "../../core/viz/cam.js";
import {
  faithfulnessSvg,
  importanceRaster,
  labMapsSvg,
  signedRaster,
  TILE,
  type LabTile
} from "../../core/viz/labCharts.js";
import {escapeXml} from "../../core/viz/svg.js";
import {upscaleNearest, type Raster} from "../../core/image/raster.js";
import {inputRaster} from "../../core/viz/heatOverlay.js";
import {encodePng, pngDataUri, svgToPng} from "../image/encode.js";

export const LAB_FILE = "attribution_lab.png";
export const FAITHFULNESS_FILE = "faithfulness.png";
export const COUNTERFACTUAL_FILE = "counterfactual.png";

/** What the lab pictures are made from. */
export interface LabPlotInput {
  lab: Lab;
  /** The model input (784 values in [0, 1]). */
  input: Float32Array;
  classNames: string[];
  counterfactual?: {
    result: Counterfactual;
    /** The CAM (or Grad-CAM) of the target class on the input and on the changed image. */
    before: HeatMap;
    after: HeatMap;
    /** The class predicted for the input. */
    predicted: number;
  };
}

export interface LabFile {
  name: string;
  title: string;
  description: string;
  png: Uint8Array;
  /** Methods and their explanations, listed under the picture in the report. */
  legend?: {title: string; text: string}[];
}

async function uri(r: Raster): Promise<string> {
  return pngDataUri(await encodePng(r.data, r.width, r.height, r.channels as 1 | 3));
}

const greyTile = (x: Float32Array) => uri(upscaleNearest(inputRaster(x), TILE / 28));

export async function renderLabPlots(p: LabPlotInput): Promise<LabFile[]> {
  const {lab, input, classNames} = p;
  const name = classNames[lab.classIndex];
  const tiles: LabTile[] = [{title: "Model input", note: `explaining ${name}`, imageUri: await greyTile(input)}];
  for (const e of lab.entries) {
    const a = e.attribution;
    tiles.push({
      title: METHOD_INFO[a.method].title,
      note: `${e.ms.toFixed(0)} ms`,
      imageUri: await uri(importanceRaster(a.importance, input))
    });
  }
  const legend: {title: string; text: string}[] = lab.entries.map((e) => ({
    title: METHOD_INFO[e.attribution.method].title,
    text: METHOD_INFO[e.attribution.method].explanation
  }));
  if (lab.contrast?.against !== undefined) {
    const other = classNames[lab.contrast.against];
    tiles.push({
      title: `${name} vs ${other}`,
      note: "contrastive Grad-CAM",
      imageUri: await uri(importanceRaster(heatMapAttribution("grad-cam", lab.contrast).importance, input))
    });
    legend.push({title: `${name} vs ${other}`, text: contrastExplanation(name, other)});
  }
  const c = lab.completeness;
  const files: LabFile[] = [
    {
      name: LAB_FILE,
      title: `Attribution lab: why ${name}`,
      description: `Every method's map of the evidence for "${name}", on one colour scale (dark: none, yellow: the most that method found). Integrated Gradients' completeness check: its attributions sum to ${c.sum.toFixed(3)}, and logit(input) - logit(black image) = ${c.inputLogit.toFixed(3)} - (${c.baselineLogit.toFixed(3)}) = ${c.expected.toFixed(3)}, ${(c.relativeError * 100).toFixed(2)} % apart (${c.steps} points on the path).`,
      legend,
      png: await svgToPng(
        labMapsSvg({
          title: `Attribution lab: why ${name}?`,
          subtitle: [
            "Each map on one scale, from none (dark) to the most that method found (yellow); the garment shows faintly underneath.",
            `Integrated Gradients' completeness check: attributions sum to ${c.sum.toFixed(3)}; logit(input) - logit(black) = ${c.expected.toFixed(3)} (${(c.relativeError * 100).toFixed(2)} % apart).`
          ],
          tiles,
          legend
        })
      )
    },
    {
      name: FAITHFULNESS_FILE,
      title: "Which map does the network agree with?",
      description: `Deletion: pixels blacked out in each map's order, most important first, and the probability of "${name}" after each step; the faster it falls (the smaller the area), the more the map found what the network needs. Insertion: the same pixels put back onto a black image; the faster it rises (the larger the area), the better. The dashed grey line is a random order, the score of a map that knows nothing.`,
      png: await svgToPng(
        faithfulnessSvg(`Faithfulness of each map for ${name}`, [
          ...lab.entries.map((e) => ({name: METHOD_INFO[e.attribution.method].title, ...e.faithfulness})),
          {name: "random order", ...lab.random, reference: true}
        ])
      )
    }
  ];
  if (p.counterfactual) files.push(await counterfactualFile(p));
  return files;
}

async function counterfactualFile(p: LabPlotInput): Promise<LabFile> {
  const {result, before, after, predicted} = p.counterfactual!;
  const names = p.classNames;
  const target = names[result.target];
  const now = `${names[result.predicted]} ${(result.probabilities[result.predicted] * 100).toFixed(1)} %`;
  const tiles: LabTile[] = [
    {title: "Model input", note: `predicted ${names[predicted]}`, imageUri: await greyTile(p.input)},
    {title: "Changed image", note: `now ${now}`, imageUri: await greyTile(result.image)},
    {
      title: "Difference",
      note: `±${result.epsilon}: red up, blue down`,
      imageUri: await uri(signedRaster(result.difference, result.epsilon))
    },
    {
      title: `CAM of ${target}, before`,
      note: "on the input",
      imageUri: await uri(importanceRaster(heatMapAttribution("cam", before).importance, p.input))
    },
    {
      title: `CAM of ${target}, after`,
      note: "on the changed image",
      imageUri: await uri(importanceRaster(heatMapAttribution("cam", after).importance, result.image))
    }
  ];
  const verdict = result.reached
    ? `The network now reads it as ${target}.`
    : `Within ε = ${result.epsilon} the network still says ${names[result.predicted]}: try a larger --epsilon.`;
  return {
    name: COUNTERFACTUAL_FILE,
    title: `Counterfactual: what would make this ${target}?`,
    description: `The smallest-looking change (no pixel moves by more than ε = ${result.epsilon}) that pushes the network towards ${target}, found by 20 steps of targeted projected gradient descent. ${verdict} The CAMs show where the evidence for ${target} lies before and after.`,
    png: await svgToPng(
      labMapsSvg({
        title: `What would make this ${target}?`,
        subtitle: [`Targeted PGD within ε = ${result.epsilon}: ${names[predicted]} → ${now}. ${verdict}`],
        tiles,
        legend: [],
        colourBar: false
      })
    )
  };
}

/** The report section of the lab (the pictures inlined, with their legends). */
export function labReportSection(files: LabFile[], heading: string): string {
  const figures = files.map((f) => {
    const legend = (f.legend ?? []).map((l) => `<dt>${escapeXml(l.title)}</dt><dd>${escapeXml(l.text)}</dd>`);
    return (
      `<figure><img src="${pngDataUri(f.png)}" alt="${escapeXml(f.title)}"><figcaption><strong>${escapeXml(f.title)}.</strong> ${escapeXml(f.description)}</figcaption></figure>` +
      (legend.length > 0 ? `<dl class="methods">${legend.join("")}</dl>` : "")
    );
  });
  return `<h2>${escapeXml(heading)}</h2>\n${figures.join("\n")}`;
}
