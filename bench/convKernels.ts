/**
 * `npx tsx bench/convKernels.ts [--steps N] [--rounds R]`: the CNN's six convolutions at batch 128,
 * ours (WASM: forward Conv2D, our Conv2DBackpropInput and Conv2DBackpropFilter kernels) against
 * the same convolutions in PyTorch, whose CPU kernels are oneDNN 2.6 (bench/peer_conv_kernels.py):
 * the per-kernel evidence for what native kernels would change. Ours and the peer take turns for
 * R rounds; the table shows the minimum over all rounds (least disturbed by other processes) and
 * the median. Markdown on stdout.
 */
import {parseArgs} from "node:util";

import * as tf from "@tensorflow/tfjs";

import {selectBackend} from "../src/node/backend/selectBackend.js";
import {runCommand} from "./command.js";
import {PEER_PYTHON, REPO_ROOT} from "./peer.js";
import {MODEL_CONV_LAYERS} from "./convLayers.js";
import {median} from "./timing.js";

const KINDS = ["forward", "inputGrad", "filterGrad"] as const;
type Kind = (typeof KINDS)[number];
type Times = Record<Kind, number[]>;

const {values} = parseArgs({options: {steps: {type: "string"}, rounds: {type: "string"}}, strict: true});
const steps = Number(values.steps ?? 6);
const rounds = Number(values.rounds ?? 2);
const BATCH = 128;

function timeAll(f: () => tf.Tensor): number[] {
  const times: number[] = [];
  for (let i = 0; i < steps + 2; i++) {
    const t0 = performance.now();
    const y = f();
    y.dataSync();
    y.dispose();
    if (i >= 2) times.push(performance.now() - t0);
  }
  return times;
}

function measureOurs(into: Times[]): void {
  MODEL_CONV_LAYERS.forEach(({size, cin, pad}, i) => {
    const x = tf.randomUniform([BATCH, size, size, cin]) as tf.Tensor4D;
    const filter = tf.randomUniform([3, 3, cin, 64], -0.5, 0.5) as tf.Tensor4D;
    const out = pad === "same" ? size : size - 2;
    const attrs = {strides: 1, pad, dataFormat: "NHWC"};
    /** Times a gradient kernel on a fresh dy each time, as in training (XNNPACK caches what it packs per tensor). */
    const timeGradient = (kernel: string, inputs: (dy: tf.Tensor) => tf.NamedTensorMap, shape: tf.NamedAttrMap) =>
      timeAll(() => {
        const dy = tf.randomUniform([BATCH, out, out, 64]);
        const gradient = tf.engine().runKernel<tf.Tensor>(kernel, inputs(dy), {...attrs, ...shape});
        dy.dispose();
        return gradient;
      });
    into[i].forward.push(...timeAll(() => tf.conv2d(x, filter, 1, pad)));
    // The first layer's input gradient is left out: training never needs the gradient of the images.
    if (i > 0) {
      into[i].inputGrad.push(...timeGradient("Conv2DBackpropInput", (dy) => ({dy, filter}), {inputShape: x.shape}));
    }
    into[i].filterGrad.push(...timeGradient("Conv2DBackpropFilter", (dy) => ({x, dy}), {filterShape: filter.shape}));
    tf.dispose([x, filter]);
  });
}

interface PeerLayer {
  forward: {median: number; min: number};
  inputGrad: {median: number; min: number};
  filterGrad: {median: number; min: number};
}

async function measurePeer(into: Times[], threads: number): Promise<string> {
  const script = `${REPO_ROOT}bench/peer_conv_kernels.py`;
  const run = await runCommand(PEER_PYTHON, [script, "--steps", `${steps}`, "--threads", `${threads}`]);
  if (run.spawnError || run.code !== 0) throw new Error(`peer failed: ${run.spawnError?.message ?? run.stderr.trim()}`);
  const parsed = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "") as {version: string; layers: PeerLayer[]};
  // The peer reports median and minimum only: keep both as samples.
  parsed.layers.forEach((layer, i) => {
    for (const kind of KINDS)
      if (i > 0 || kind !== "inputGrad") into[i][kind].push(layer[kind].median, layer[kind].min);
  });
  return parsed.version;
}

const empty = (): Times[] => MODEL_CONV_LAYERS.map(() => ({forward: [], inputGrad: [], filterGrad: []}));
const ours = empty();
const peer = empty();
// "Ours" means the WASM kernels: keep the product's native convolutions out of this comparison.
process.env.FMNIST_NATIVE = "0";
await selectBackend("wasm");
let version = "";
for (let r = 0; r < rounds; r++) {
  process.stderr.write(`convKernels: round ${r + 1}/${rounds}: ours\n`);
  measureOurs(ours);
  process.stderr.write(`convKernels: round ${r + 1}/${rounds}: pytorch\n`);
  version = await measurePeer(peer, 2);
}

const cell = (t: number[]) => `${Math.min(...t).toFixed(1)} (${median(t).toFixed(1)})`;
const lines = [
  `Convolutions at batch ${BATCH}, 3x3, 64 filters; ms as min (median) over ${rounds} alternating rounds of ${steps} runs;`,
  `ours: TF.js ${tf.version.tfjs} wasm with 2 threads; pytorch ${version} (oneDNN 2.6) with 2 threads.`,
  "",
  "| layer input | kernel | ours | pytorch | ours / pytorch (min) |",
  "|---|---|---:|---:|---:|"
];
const totals = {ours: 0, peer: 0};
MODEL_CONV_LAYERS.forEach(({size, cin, pad}, i) => {
  for (const kind of KINDS) {
    if (ours[i][kind].length === 0) continue;
    const o = Math.min(...ours[i][kind]);
    const p = Math.min(...peer[i][kind]);
    totals.ours += o;
    totals.peer += p;
    lines.push(
      `| ${size}x${size}x${cin} ${pad} | ${kind} | ${cell(ours[i][kind])} | ${cell(peer[i][kind])} | ${(o / p).toFixed(1)}x |`
    );
  }
});
lines.push(
  `| all | all | ${totals.ours.toFixed(0)} | ${totals.peer.toFixed(0)} | ${(totals.ours / totals.peer).toFixed(1)}x |`
);
process.stdout.write(`${lines.join("\n")}\n`, () => process.exit(0));
