/**
 * `npx tsx bench/profile.ts [--steps N] [--batch B] [--threads T]`: where a training step's time
 * goes, per kernel, grouped by what the kernel is for (forward convolutions, input and filter
 * gradients, pooling, batch norm, Adam, data feeding, other), then the same for one inference
 * batch of 256. Prints Markdown tables (docs/performance.md holds a copy); progress on stderr.
 *
 * Layers are told apart by wrapping each layer's `call` (forward) and the gradient functions of
 * the tape nodes it records (backward), so a Mul in a batch-norm gradient counts as batch norm.
 */
import {parseArgs} from "node:util";

import * as tf from "@tensorflow/tfjs";
import {getThreadsCount} from "@tensorflow/tfjs-backend-wasm";

import {registerWasmKernels} from "../src/node/backend/registerWasmKernels.js";
import {selectBackend} from "../src/node/backend/selectBackend.js";
import {IMAGE_PIXELS} from "../src/core/data/fashionMnist.js";
import {normalise} from "../src/core/data/dataset.js";
import {loadFashionMnist} from "../src/node/data/loadFashionMnist.js";
import {augmentBatch} from "../src/core/model/augment.js";
import {createCnn} from "../src/core/model/cnn.js";
import {createAdam} from "../src/core/model/fusedAdam.js";
import {batchTensor, sparseCategoricalCrossentropy} from "../src/core/model/metrics.js";
import {createRandom, permutation} from "../src/core/random.js";
import {KernelTimer, type KernelCall} from "./kernelTimer.js";
import {median} from "./timing.js";

type Phase = "data" | "forward" | "backward" | "adam" | "readback" | "predict";

/** What is running now: set by the driver (phase) and by the layer wrappers (layer class). */
const context: {phase: Phase; layer: string | null} = {phase: "data", layer: null};

const CATEGORIES = [
  "forward conv (conv + bias + relu)",
  "input gradients",
  "filter gradients",
  "bias + relu gradients",
  "pooling + its gradient",
  "batch norm forward",
  "batch norm gradient",
  "Adam update",
  "data feeding (gather, augment, upload)",
  "other (dense, softmax, loss, dropout, pooling to 1x1, gradient sums)"
] as const;

function category(call: KernelCall): string {
  const {phase, layer} = context;
  if (phase === "data") return CATEGORIES[8];
  if (phase === "adam") return CATEGORIES[7];
  if (call.root === "Conv2DBackpropFilter") return CATEGORIES[2];
  if (call.root === "Conv2DBackpropInput") return CATEGORIES[1];
  if (layer === "MaxPooling2D") return CATEGORIES[4];
  if (layer === "BatchNormalization") return CATEGORIES[phase === "backward" ? 6 : 5];
  if (layer === "Conv2D") return CATEGORIES[phase === "backward" ? 3 : 0];
  return CATEGORIES[9];
}

const CONV_KERNELS = new Set(["Conv2D", "FusedConv2D", "Conv2DBackpropFilter", "Conv2DBackpropInput", "MaxPoolGrad"]);

/** Bucket key: category, then kernel (with the input shape for the convolution kernels). */
function bucket(call: KernelCall): string {
  const nested = call.root === call.name ? "" : ` (in ${call.root})`;
  const shape = CONV_KERNELS.has(call.name) || CONV_KERNELS.has(call.root) ? ` [${call.shape.join(",")}]` : "";
  return `${category(call)}\t${call.name}${shape}${nested}`;
}

interface TapeNode {
  gradient?: (dys: tf.Tensor[]) => Record<string, () => tf.Tensor>;
}

function activeTape(): TapeNode[] | null {
  return (tf.engine() as unknown as {state: {activeTape: TapeNode[] | null}}).state.activeTape;
}

/** Makes every call of the model's layers, and the gradients of what they record, set `context.layer`. */
function trackLayers(model: tf.LayersModel): void {
  for (const layer of model.layers) {
    const kind = layer.getClassName();
    const call = layer.call.bind(layer);
    layer.call = (inputs, kwargs) => {
      const outer = context.layer;
      const tape = activeTape();
      const start = tape?.length ?? 0;
      context.layer = kind;
      try {
        return call(inputs, kwargs);
      } finally {
        context.layer = outer;
        for (const node of tape?.slice(start) ?? []) {
          const gradient = node.gradient;
          if (!gradient) continue;
          // The context stays set after a gradient runs: the engine then adds it into the input's sum.
          node.gradient = (dys) => {
            context.layer = kind;
            const grads = gradient(dys);
            return Object.fromEntries(
              Object.entries(grads).map(([input, f]) => [
                input,
                () => {
                  context.layer = kind;
                  return f();
                }
              ])
            );
          };
        }
      }
    };
  }
}

function parse(argv: string[]): {steps: number; batch: number; threads: number | undefined} {
  const {values} = parseArgs({
    args: argv,
    options: {steps: {type: "string"}, batch: {type: "string"}, threads: {type: "string"}},
    strict: true
  });
  const int = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number.parseInt(v, 10));
  return {
    steps: int(values.steps, 5),
    batch: int(values.batch, 128),
    threads: values.threads === undefined ? undefined : int(values.threads, 2)
  };
}

function table(title: string, perStep: Map<string, number>[], totalMs: number, detailRows: number): string[] {
  const keys = new Set(perStep.flatMap((m) => [...m.keys()]));
  const med = new Map([...keys].map((k) => [k, median(perStep.map((m) => m.get(k) ?? 0))]));
  const byCategory = new Map<string, number>();
  for (const [key, ms] of med) {
    const cat = key.split("\t")[0];
    byCategory.set(cat, (byCategory.get(cat) ?? 0) + ms);
  }
  const kernelMs = [...byCategory.values()].reduce((a, b) => a + b, 0);
  const pct = (ms: number) => `${((100 * ms) / totalMs).toFixed(1)} %`;
  const lines = [
    `### ${title}`,
    "",
    `| category | ms | share of ${totalMs.toFixed(0)} ms |`,
    "|---|---:|---:|",
    ...[...byCategory].sort((a, b) => b[1] - a[1]).map(([cat, ms]) => `| ${cat} | ${ms.toFixed(1)} | ${pct(ms)} |`),
    `| not in any kernel (engine, JS, tape) | ${(totalMs - kernelMs).toFixed(1)} | ${pct(totalMs - kernelMs)} |`,
    "",
    `Largest kernels (exclusive time; "in X": run inside our X kernel):`,
    "",
    "| category | kernel [first input shape] | ms |",
    "|---|---|---:|",
    ...[...med]
      .sort((a, b) => b[1] - a[1])
      .slice(0, detailRows)
      .map(([key, ms]) => {
        const [cat, kernel] = key.split("\t");
        return `| ${cat.split(" (")[0]} | ${kernel} | ${ms.toFixed(1)} |`;
      }),
    ""
  ];
  return lines;
}

async function main(): Promise<void> {
  const {steps, batch, threads} = parse(process.argv.slice(2));
  const timer = new KernelTimer(bucket);
  // Our kernels first, so the wrapper sees them; then the backend, whose setup runs on the wrapped configs.
  registerWasmKernels();
  const wrapped = timer.wrapBackend("wasm");
  const backend = await selectBackend("wasm", threads);
  process.stderr.write(`profile: ${wrapped} wasm kernels wrapped; ${backend}, ${getThreadsCount()} threads\n`);

  const train = normalise(await loadFashionMnist("train", {limit: 4096}));
  const model = createCnn();
  trackLayers(model);
  const optimizer = createAdam(1e-3);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const xsBuffer = new Float32Array(batch * IMAGE_PIXELS);
  const ysBuffer = new Int32Array(batch);
  const random = createRandom(7);

  const perStep: Map<string, number>[] = [];
  const stepMs: number[] = [];
  for (let s = 0; s < steps + 2; s++) {
    const t0 = performance.now();
    // Data feeding as src/core/model/train.ts does it: gather a shuffled batch, augment, upload.
    context.phase = "data";
    const order = permutation(train.count, random);
    for (let i = 0; i < batch; i++) {
      const j = order[i];
      xsBuffer.set(train.xs.subarray(j * IMAGE_PIXELS, (j + 1) * IMAGE_PIXELS), i * IMAGE_PIXELS);
      ysBuffer[i] = train.ys[j];
    }
    augmentBatch(xsBuffer, batch, random);
    const xs = batchTensor({xs: xsBuffer, ys: new Uint8Array(0), count: batch}, 0, batch);
    const ys = tf.tensor1d(ysBuffer, "int32");
    timer.add(`${CATEGORIES[8]}\tgather + augment (JS)`, performance.now() - t0);
    context.phase = "forward";
    const {value, grads} = tf.variableGrads(() => {
      const loss = sparseCategoricalCrossentropy(model.apply(xs, {training: true}) as tf.Tensor2D, ys);
      context.phase = "backward";
      context.layer = null;
      return loss;
    }, vars);
    context.phase = "adam";
    context.layer = null;
    optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({name, tensor})));
    context.phase = "readback";
    value.dataSync();
    tf.dispose([value, xs, ys, ...Object.values(grads)]);
    const ms = performance.now() - t0;
    const totals = timer.take();
    if (s >= 2) {
      perStep.push(totals);
      stepMs.push(ms);
    }
    process.stderr.write(`profile: step ${s + 1}/${steps + 2} ${ms.toFixed(0)} ms${s < 2 ? " (warm-up)" : ""}\n`);
  }

  context.phase = "predict";
  const xp = tf.randomUniform([256, 28, 28, 1]);
  const predictPerStep: Map<string, number>[] = [];
  const predictMs: number[] = [];
  for (let s = 0; s < steps + 2; s++) {
    const t0 = performance.now();
    const probs = model.predict(xp, {batchSize: xp.shape[0]}) as tf.Tensor;
    probs.dataSync();
    probs.dispose();
    const totals = timer.take();
    if (s >= 2) {
      predictPerStep.push(totals);
      predictMs.push(performance.now() - t0);
    }
  }
  xp.dispose();

  const out = [
    `Profile: TF.js ${tf.version.tfjs}, ${backend} with ${getThreadsCount()} threads, createCnn(), Adam, ` +
      `batch ${batch}, median of ${steps} steps after 2 warm-up steps (step medians: ${median(stepMs).toFixed(0)} ms ` +
      `training, ${median(predictMs).toFixed(0)} ms predicting 256).`,
    "",
    ...table(`Training step, batch ${batch}`, perStep, median(stepMs), 30),
    ...table("Inference, batch 256", predictPerStep, median(predictMs), 12)
  ];
  process.stdout.write(`${out.join("\n")}\n`, () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`profile: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
