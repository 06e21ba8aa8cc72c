/**
 * `npx tsx bench/abKernels.ts [--rounds N] [--batch B] [--threads T]`: paired, interleaved comparison of our WASM
 * kernel replacements on a noisy machine. All variants live in one process; before each training
 * step the kernel registry (and the FusedBatchNorm gradient) is switched to one variant, and the
 * variants take turns step by step, so a burst of load from elsewhere hits them all alike.
 * Reports, per variant, the median and minimum step time (wall and process CPU) and the median of
 * its per-round difference to the baseline (TF.js' kernels plus the convolution gradients that training needs).
 */
import {parseArgs} from "node:util";

import * as tf from "@tensorflow/tfjs";

import {registerBatchNormGradient} from "../src/node/backend/batchNormGradient.js";
import {registerWasmConvGradients} from "../src/node/backend/convGradKernels.js";
import {registerWasmLeadingAxesReduce} from "../src/node/backend/leadingAxesReduce.js";
import {registerWasmJsKernels} from "../src/node/backend/wasmJsKernels.js";
import {initWasmWithThreads} from "../src/node/backend/wasmThreads.js";
import {createCnn} from "../src/core/model/cnn.js";
import {sparseCategoricalCrossentropy} from "../src/core/model/metrics.js";
import {median} from "./timing.js";

/** The replaceable parts and the kernels each one replaces. */
const PARTS = {
  reduce: ["Sum", "Mean"],
  js: ["Transpose", "MaxPoolGrad"],
  bn: []
} as const;
type Part = keyof typeof PARTS;
const ALL_PARTS = Object.keys(PARTS) as Part[];
const KERNELS = ALL_PARTS.flatMap((p) => [...PARTS[p]]);

const {values} = parseArgs({
  options: {rounds: {type: "string"}, batch: {type: "string"}, threads: {type: "string"}},
  strict: true
});
const rounds = Number(values.rounds ?? 8);
const batch = Number(values.batch ?? 128);

tf.enableProdMode();
registerWasmConvGradients();
const threads = await initWasmWithThreads(values.threads === undefined ? undefined : Number(values.threads));
// TF.js' own kernels, set up by the backend's initialisation, then ours.
const theirs = new Map(KERNELS.map((k) => [k, tf.getKernel(k, "wasm")]));
const theirGradient = tf.getGradient("FusedBatchNorm");
registerWasmLeadingAxesReduce();
registerWasmJsKernels();
registerBatchNormGradient();
const ours = new Map(KERNELS.map((k) => [k, tf.getKernel(k, "wasm")]));
const ourGradient = tf.getGradient("FusedBatchNorm");

function use(parts: readonly Part[]): void {
  for (const part of ALL_PARTS) {
    for (const kernel of PARTS[part]) {
      const config = (parts.includes(part) ? ours : theirs).get(kernel);
      if (tf.getKernel(kernel, "wasm")) tf.unregisterKernel(kernel, "wasm");
      if (config) tf.registerKernel(config);
    }
  }
  const gradient = parts.includes("bn") ? ourGradient : theirGradient;
  if (gradient) tf.registerGradient(gradient);
}

const variants: {name: string; parts: Part[]}[] = [
  {name: "baseline (conv gradients only)", parts: []},
  ...ALL_PARTS.map((p) => ({name: `+ ${p}`, parts: [p]})),
  {name: "all", parts: ALL_PARTS}
];

const model = createCnn();
const optimizer = tf.train.adam(1e-3);
const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
const xs = tf.randomUniform([batch, 28, 28, 1], 0, 1, "float32", 1);
const ys = tf.randomUniform([batch], 0, 10, "int32", 2) as tf.Tensor1D;
/** Wall and process CPU milliseconds of one step (CPU time is steadier under load from elsewhere; use --threads 1). */
function step(): [number, number] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const loss = optimizer.minimize(
    () => sparseCategoricalCrossentropy(model.apply(xs, {training: true}) as tf.Tensor2D, ys),
    true,
    vars
  );
  loss?.dataSync();
  loss?.dispose();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  return [wall, (cpu.user + cpu.system) / 1000];
}

const times = variants.map(() => [] as number[]);
const cpuTimes = variants.map(() => [] as number[]);
for (let r = -1; r < rounds; r++) {
  variants.forEach((v, i) => {
    use(v.parts);
    const [wall, cpu] = step();
    // Round -1 warms every variant up.
    if (r >= 0) {
      times[i].push(wall);
      cpuTimes[i].push(cpu);
    }
  });
  process.stderr.write(`abKernels: round ${r + 1}/${rounds}\n`);
}
const lines = [
  `abKernels: wasm, ${threads} threads, batch ${batch}, ${rounds} interleaved rounds`,
  "| variant | wall ms: median | paired diff | min | CPU ms: median | paired diff | min |",
  "|---|---:|---:|---:|---:|---:|---:|",
  ...variants.map((v, i) => {
    const cells = [times, cpuTimes].flatMap((t) => {
      const diffs = t[i].map((x, r) => x - t[0][r]);
      return [median(t[i]), i === 0 ? NaN : median(diffs), Math.min(...t[i])].map((x) =>
        Number.isNaN(x) ? "-" : x.toFixed(0)
      );
    });
    return `| ${v.name} | ${cells.join(" | ")} |`;
  })
];
process.stdout.write(`${lines.join("\n")}\n`, () => process.exit(0));
