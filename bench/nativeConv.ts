/**
 * `OMP_NUM_THREADS=2 npx tsx bench/nativeConv.ts [--steps N] [--rounds R]`: feasibility measurement
 * for native convolution kernels. The prototype addon (native/, built by native/build.sh against
 * Debian's libdnnl 2.6) computes the CNN's convolutions straight on the WASM backend's heap; this
 * script checks each result against our WASM kernels and times both, alternating, same shapes,
 * same process. Markdown on stdout. (The product uses the addon through src/node/backend/nativeConv.ts.)
 */
import {existsSync} from "node:fs";
import {createRequire} from "node:module";
import {parseArgs} from "node:util";

import * as tf from "@tensorflow/tfjs";
import type {BackendWasm} from "@tensorflow/tfjs-backend-wasm";

import {selectBackend} from "../src/node/backend/selectBackend.js";
import {REPO_ROOT} from "./peer.js";
import {MODEL_CONV_LAYERS} from "./convLayers.js";
import {median} from "./timing.js";

type Shape4 = [number, number, number, number];
interface DnnlConv {
  forward(
    x: Float32Array,
    xs: Shape4,
    w: Float32Array,
    ws: Shape4,
    y: Float32Array,
    ys: Shape4,
    t: number,
    l: number
  ): void;
  backwardData(
    dy: Float32Array,
    dys: Shape4,
    w: Float32Array,
    ws: Shape4,
    dx: Float32Array,
    dxs: Shape4,
    t: number,
    l: number
  ): void;
  backwardWeights(
    x: Float32Array,
    xs: Shape4,
    dy: Float32Array,
    dys: Shape4,
    dw: Float32Array,
    dws: Shape4,
    t: number,
    l: number
  ): void;
}

const ADDON = `${REPO_ROOT}native/build/fmnist_native.node`;
const BATCH = 128;

const {values} = parseArgs({options: {steps: {type: "string"}, rounds: {type: "string"}}, strict: true});
const steps = Number(values.steps ?? 5);
const rounds = Number(values.rounds ?? 3);
if (!existsSync(ADDON)) throw new Error(`${ADDON} not built: run native/build.sh (needs libdnnl-dev)`);
const dnnl = createRequire(import.meta.url)(ADDON) as DnnlConv;
// "Ours" means the WASM kernels: keep the product's native convolutions out of this comparison.
process.env.FMNIST_NATIVE = "0";
await selectBackend("wasm");
const backend = tf.backend() as BackendWasm;
const heap = (t: tf.Tensor) => backend.typedArrayFromHeap(t) as Float32Array;

/** Max |a - b| / (1 + max |b|). */
function relDiff(a: tf.Tensor, b: tf.Tensor): number {
  const av = a.dataSync();
  const bv = b.dataSync();
  let diff = 0;
  let max = 0;
  for (let i = 0; i < bv.length; i++) {
    diff = Math.max(diff, Math.abs(av[i] - bv[i]));
    max = Math.max(max, Math.abs(bv[i]));
  }
  return diff / (1 + max);
}

const rows: string[] = [];
let totalWasm = 0;
let totalNative = 0;
for (const {size, cin, pad} of MODEL_CONV_LAYERS) {
  const out = pad === "same" ? size : size - 2;
  const p = pad === "same" ? 1 : 0;
  const xs: Shape4 = [BATCH, size, size, cin];
  const ys: Shape4 = [BATCH, out, out, 64];
  const ws: Shape4 = [3, 3, cin, 64];
  const x = tf.randomUniform(xs) as tf.Tensor4D;
  const w = tf.randomUniform(ws, -0.5, 0.5) as tf.Tensor4D;
  const dy = tf.randomUniform(ys) as tf.Tensor4D;
  const attrs = {strides: 1, pad, dataFormat: "NHWC"};
  const kernels: [string, () => tf.Tensor, () => tf.Tensor][] = [
    [
      "forward",
      () => tf.conv2d(x, w, 1, pad),
      () => {
        const y = tf.zeros(ys);
        dnnl.forward(heap(x), xs, heap(w), ws, heap(y), ys, p, p);
        return y;
      }
    ],
    [
      "inputGrad",
      () => tf.engine().runKernel<tf.Tensor>("Conv2DBackpropInput", {dy, filter: w}, {...attrs, inputShape: xs}),
      () => {
        const dx = tf.zeros(xs);
        dnnl.backwardData(heap(dy), ys, heap(w), ws, heap(dx), xs, p, p);
        return dx;
      }
    ],
    [
      "filterGrad",
      () => tf.engine().runKernel<tf.Tensor>("Conv2DBackpropFilter", {x, dy}, {...attrs, filterShape: ws}),
      () => {
        const dw = tf.zeros(ws);
        dnnl.backwardWeights(heap(x), xs, heap(dy), ys, heap(dw), ws, p, p);
        return dw;
      }
    ]
  ];
  for (const [kind, wasmFn, nativeFn] of kernels) {
    // The first layer's input gradient is left out: training never needs the gradient of the images.
    if (cin === 1 && kind === "inputGrad") continue;
    const a = wasmFn();
    const b = nativeFn();
    const diff = relDiff(b, a);
    tf.dispose([a, b]);
    const times = {wasm: [] as number[], native: [] as number[]};
    for (let r = 0; r < rounds; r++) {
      for (const [name, fn] of [
        ["wasm", wasmFn],
        ["native", nativeFn]
      ] as const) {
        for (let i = 0; i < steps; i++) {
          const t0 = performance.now();
          const t = fn();
          t.dataSync();
          times[name].push(performance.now() - t0);
          t.dispose();
        }
      }
    }
    const wasmMin = Math.min(...times.wasm);
    const nativeMin = Math.min(...times.native);
    totalWasm += wasmMin;
    totalNative += nativeMin;
    rows.push(
      `| ${size}x${size}x${cin} ${pad} | ${kind} | ${wasmMin.toFixed(1)} (${median(times.wasm).toFixed(1)}) | ` +
        `${nativeMin.toFixed(1)} (${median(times.native).toFixed(1)}) | ${(wasmMin / nativeMin).toFixed(1)}x | ${diff.toExponential(1)} |`
    );
  }
  tf.dispose([x, w, dy]);
}
const lines = [
  `Convolutions at batch ${BATCH}: ours on WASM (2 threads) against the oneDNN 2.6 prototype addon ` +
    `(OMP_NUM_THREADS=${process.env.OMP_NUM_THREADS ?? "unset"}), ms as min (median) of ${rounds} x ${steps} alternating runs.`,
  "",
  "| layer input | kernel | wasm | native | wasm / native (min) | max diff / (1 + max) |",
  "|---|---|---:|---:|---:|---:|",
  ...rows,
  `| all | all | ${totalWasm.toFixed(0)} | ${totalNative.toFixed(0)} | ${(totalWasm / totalNative).toFixed(1)}x | |`
];
process.stdout.write(`${lines.join("\n")}\n`, () => process.exit(0));
