/**
 * "Nearest training images": the training images whose embeddings (the model's 64 pooled features)
 * point the same way as the input's, with their labels, so a user sees what the network thinks the
 * input resembles. For a misclassified test image it adds the training images of the wrong class
 * nearest to it (they pull it toward that class) beside those of its true class.
 */
import "./nearestPanel.css";

import type * as tf from "@tensorflow/tfjs";

import {normalise} from "../../../../src/core/data/dataset.js";
import {CLASS_NAMES, IMAGE_PIXELS} from "../../../../src/core/data/fashionMnist.js";
import {
  exampleBank,
  nearestExamples,
  type ExampleBank,
  type NearExample
} from "../../../../src/core/embed/nearestExamples.js";
import {embedAll} from "../../../../src/core/model/embedding.js";
import {loadTrainingExamples} from "../../data/trainingExamples.js";
import {DataError} from "../../data/fetchData.js";
import {h, panel} from "../../ui/dom.js";
import {greyCanvas} from "../../ui/thumbnail.js";

const K = 8;

export interface NearestPanel {
  element: HTMLElement;
  /** Shows the neighbours of `embedding`; `truth` is the label of a test image (else undefined). */
  update(embedding: Float32Array | undefined, predicted: number, truth?: number): Promise<void>;
  clear(): void;
}

function tile(bank: ExampleBank, near: NearExample, mark: number | undefined): HTMLElement {
  const {examples} = bank;
  const start = near.row * IMAGE_PIXELS;
  const pixels = Float32Array.from(examples.pixels.subarray(start, start + IMAGE_PIXELS), (v) => v / 255);
  const name = CLASS_NAMES[near.label];
  const index = examples.first + near.row;
  return h(
    "figure",
    {
      class: `near-tile${mark !== undefined && near.label !== mark ? " near-other" : ""}`,
      "data-label": near.label,
      title: `training image ${index}: ${name}, cosine distance ${near.distance.toFixed(3)}`
    },
    greyCanvas(pixels, 2, `training image ${index}, ${name}`),
    h("figcaption", {}, name, h("br"), h("span", {class: "muted"}, `d ${near.distance.toFixed(2)}`))
  );
}

function row(bank: ExampleBank, heading: string, found: NearExample[], mark: number | undefined, id: string) {
  return h(
    "div",
    {class: "near-row", "data-testid": id},
    h("h3", {}, heading),
    h("div", {class: "near-tiles"}, ...found.map((n) => tile(bank, n, mark)))
  );
}

/** The shipped training examples with their embeddings recomputed by `model` (a model the user brought). */
const rebanked = new WeakMap<tf.LayersModel, Promise<ExampleBank>>();
function bankFor(model: tf.LayersModel): Promise<ExampleBank> {
  let bank = rebanked.get(model);
  if (!bank) {
    bank = loadTrainingExamples().then(async ({examples}) => {
      const {pixels: images, labels, count} = examples;
      const embedded = await embedAll(model, normalise({images, labels, count}), {batchSize: 250});
      return exampleBank({
        ...examples,
        embeddings: embedded.embeddings,
        dims: embedded.dim,
        layerName: embedded.layerName
      });
    });
    rebanked.set(model, bank);
  }
  return bank;
}

/** `ownModel`: a model the user brought, whose embeddings of the training examples are computed here. */
export function nearestPanel(ownModel?: tf.LayersModel): NearestPanel {
  const body = h("div", {class: "near-body"}, h("p", {class: "muted"}, "No input yet."));
  const element = panel(
    "nearest",
    "Nearest training images",
    {class: "nearest-panel", "data-testid": "nearest-panel"},
    h(
      "p",
      {class: "muted small"},
      "The training images the network sees as most alike: nearest by the direction of the 64 pooled features it classifies from (cosine distance d). A red frame marks a class other than the prediction."
    ),
    body
  );
  let latest = 0;
  return {
    element,
    async update(embedding, predicted, truth) {
      const call = ++latest;
      if (!embedding) {
        body.replaceChildren(h("p", {class: "muted"}, "This model has no global-average-pooling layer to compare by."));
        return;
      }
      let bank: ExampleBank;
      try {
        if (ownModel && !rebanked.has(ownModel))
          body.replaceChildren(h("p", {class: "muted"}, "Embedding the training images with your model…"));
        bank = await (ownModel ? bankFor(ownModel) : loadTrainingExamples());
      } catch (error) {
        const hint = error instanceof DataError ? error.hint : "";
        body.replaceChildren(h("p", {class: "muted"}, `${(error as Error).message}. ${hint}`));
        return;
      }
      if (call !== latest) return; // a newer input came while the file loaded
      if (bank.examples.dims !== embedding.length) {
        body.replaceChildren(
          h("p", {class: "muted"}, "The export's training examples come from another model: re-run `fmnist export`.")
        );
        return;
      }
      const rows = [row(bank, "Most alike", nearestExamples(bank, embedding, K), predicted, "near-all")];
      if (truth !== undefined && truth !== predicted) {
        const wrong = CLASS_NAMES[predicted];
        rows.push(
          row(
            bank,
            `${wrong} images that pull it toward ${wrong}`,
            nearestExamples(bank, embedding, K, predicted),
            undefined,
            "near-wrong"
          ),
          row(
            bank,
            `Its true class, ${CLASS_NAMES[truth]}, nearest`,
            nearestExamples(bank, embedding, K, truth),
            undefined,
            "near-truth"
          )
        );
      }
      body.replaceChildren(...rows);
      element.dataset.predicted = String(predicted);
      element.dataset.shown = String(call);
    },
    clear() {
      latest++;
      body.replaceChildren(h("p", {class: "muted"}, "No input yet."));
    }
  };
}
