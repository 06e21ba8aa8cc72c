/**
 * `npx tsx bench/ablation.ts [--train N] [--epochs E] [--out FILE]`: the training recipe's ablation
 * (docs/training.md). Each configuration trains the seed's CNN from the same seed on the first N images of
 * the standard 54,000-image training part and is scored on the standard 6,000-image validation split (the
 * one `fmnist train` holds out; never the test set). One JSON line per configuration goes to FILE
 * (default docs/ablation.jsonl) as soon as it is measured, and a Markdown table to stdout at the end.
 */
import {appendFileSync, writeFileSync} from "node:fs";
import os from "node:os";
import {parseArgs} from "node:util";

import {normalise, splitValidation} from "../src/core/data/dataset.js";
import {createCnn} from "../src/core/model/cnn.js";
import {createAdam} from "../src/core/model/fusedAdam.js";
import {trainModel, type TrainOptions} from "../src/core/model/train.js";
import {selectBackend} from "../src/node/backend/selectBackend.js";
import {loadFashionMnist} from "../src/node/data/loadFashionMnist.js";
import {take} from "../src/core/data/dataset.js";

const {values} = parseArgs({
  options: {
    train: {type: "string", default: "15000"},
    epochs: {type: "string", default: "8"},
    out: {type: "string", default: "docs/ablation.jsonl"}
  }
});
const trainCount = Number(values.train);
const epochs = Number(values.epochs);

/** The seed's recipe, then one ingredient added at a time, then the shipped defaults and two optional extras. */
const SEED: TrainOptions = {
  learningRate: 0.001,
  schedule: "constant",
  augment: false,
  preciseBatchNorm: 0,
  erase: 0,
  labelSmoothing: 0,
  monitor: "val_accuracy",
  patience: 0
};
/** The shipped defaults (src/core/model/trainDefaults.ts), spelled out so the table says what it measured. */
const DEFAULTS: TrainOptions = {
  ...SEED,
  preciseBatchNorm: 4096,
  augment: true,
  schedule: "cosine",
  warmupEpochs: 1,
  learningRate: 0.002
};
const CONFIGS: {name: string; options: TrainOptions}[] = [
  {name: "seed recipe (Adam 0.001 constant, no augmentation)", options: SEED},
  {name: "+ precise batch-norm statistics", options: {...SEED, preciseBatchNorm: 4096}},
  {name: "+ flips and ±2 px shifts", options: {...SEED, preciseBatchNorm: 4096, augment: true}},
  {name: "+ cosine schedule, 1-epoch warm-up, peak 0.002 (the defaults)", options: DEFAULTS},
  {name: "defaults + random erasing 0.5", options: {...DEFAULTS, erase: 0.5}},
  {name: "defaults + label smoothing 0.1", options: {...DEFAULTS, labelSmoothing: 0.1}}
];

await selectBackend();
const {train: trainPart, validation} = splitValidation(normalise(await loadFashionMnist("train")), 0.1);
const train = take(
  trainPart,
  Int32Array.from({length: Math.min(trainCount, trainPart.count)}, (_, i) => i)
);
writeFileSync(values.out, "");
const rows: string[] = [];
for (const {name, options} of CONFIGS) {
  const started = performance.now();
  const model = createCnn({seed: 42});
  const result = await trainModel(
    model,
    createAdam(),
    train,
    validation,
    {
      saveCheckpoint: async () => {},
      saveState: async () => {},
      onEpochEnd: (log) =>
        void process.stderr.write(`${name}: epoch ${log.epoch} val_acc ${log.val_accuracy.toFixed(4)}\n`)
    },
    {...options, epochs, seed: 42}
  );
  model.dispose();
  const history = result.state.history;
  const best = Math.max(...history.map((h) => h.val_accuracy));
  const last = history.at(-1)?.val_accuracy ?? Number.NaN;
  const seconds = (performance.now() - started) / 1000;
  const line = {
    name,
    options,
    trainImages: train.count,
    validationImages: validation.count,
    epochs,
    bestValAccuracy: best,
    lastValAccuracy: last,
    seconds,
    load: os.loadavg()[0]
  };
  appendFileSync(values.out, JSON.stringify(line) + "\n");
  rows.push(`| ${name} | ${(best * 100).toFixed(2)} % | ${(last * 100).toFixed(2)} % | ${Math.round(seconds)} s |`);
}
console.log(
  `| configuration | best val_accuracy | last val_accuracy | wall time |\n|---|---|---|---|\n${rows.join("\n")}`
);
