/**
 * `npx tsx bench/kernelPairs.ts [--rounds N]`: each kernel this project replaces on WASM, TF.js'
 * version against ours, on the training step's largest shapes at batch 128. Both run in one
 * process and alternate call by call, so load from other processes hits them alike; prints the
 * median and minimum of each (Markdown).
 */
import {parseArgs} from "node:util";

import * as tf from "@tensorflow/tfjs";

import {registerWasmConvGradients} from "../src/node/backend/convGradKernels.js";
import {registerWasmLeadingAxesReduce} from "../src/node/backend/leadingAxesReduce.js";
import {registerWasmJsKernels} from "../src/node/backend/wasmJsKernels.js";
import {initWasmWithThreads} from "../src/node/backend/wasmThreads.js";
import {median} from "./timing.js";

const {values} = parseArgs({options: {rounds: {type: "string"}}, strict: true});
const rounds = Number(values.rounds ?? 10);

const NAMES = ["Sum", "Transpose", "MaxPoolGrad"];
tf.enableProdMode();
registerWasmConvGradients();
const threads = await initWasmWithThreads();
const theirs = new Map(NAMES.map((n) => [n, tf.getKernel(n, "wasm")]));
registerWasmLeadingAxesReduce();
registerWasmJsKernels();
const ours = new Map(NAMES.map((n) => [n, tf.getKernel(n, "wasm")]));

function use(name: string, config: tf.KernelConfig | undefined): void {
  tf.unregisterKernel(name, "wasm");
  if (config) tf.registerKernel(config);
}

const x = tf.randomUniform([128, 26, 26, 64]) as tf.Tensor4D;
const x28 = tf.randomUniform([128, 28, 28, 64]);
const pooled = tf.maxPool(x, 2, 2, "valid");
const dyPool = tf.randomUniform(pooled.shape);
const cases: {label: string; kernel: string; run: () => tf.Tensor}[] = [
  {label: "Sum over [0,1,2] of [128,26,26,64] (bias gradient)", kernel: "Sum", run: () => tf.sum(x, [0, 1, 2])},
  {
    label: "Transpose [3,1,2,0] of [128,28,28,64] (filter gradient)",
    kernel: "Transpose",
    run: () => tf.transpose(x28, [3, 1, 2, 0])
  },
  {
    label: "MaxPoolGrad 2x2 of [128,26,26,64]",
    kernel: "MaxPoolGrad",
    run: () =>
      tf
        .engine()
        .runKernel<tf.Tensor>(
          "MaxPoolGrad",
          {dy: dyPool, input: x, output: pooled},
          {filterSize: 2, strides: 2, pad: "valid"}
        )
  }
];

const lines = [
  `kernelPairs: wasm with ${threads} threads, ${rounds} alternating calls each; ms as median (min)`,
  "",
  "| kernel | TF.js | ours |",
  "|---|---:|---:|"
];
for (const c of cases) {
  const times = {theirs: [] as number[], ours: [] as number[]};
  for (let r = -1; r < rounds; r++) {
    for (const side of ["theirs", "ours"] as const) {
      use(c.kernel, (side === "theirs" ? theirs : ours).get(c.kernel));
      const t0 = performance.now();
      const y = c.run();
      y.dataSync();
      if (r >= 0) times[side].push(performance.now() - t0);
      y.dispose();
    }
  }
  const cell = (t: number[]) => `${median(t).toFixed(1)} (${Math.min(...t).toFixed(1)})`;
  lines.push(`| ${c.label} | ${cell(times.theirs)} | ${cell(times.ours)} |`);
}
process.stdout.write(`${lines.join("\n")}\n`, () => process.exit(0));
