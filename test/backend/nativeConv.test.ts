import {existsSync} from "node:fs";

import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";

import {MODEL_CONV_LAYERS} from "../../bench/convLayers.js";
import {NATIVE_ADDON_PATH, nativeKernelCalls, nativeKernelsActive} from "../../src/node/backend/nativeAddon.js";
import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {normalise} from "../../src/core/data/dataset.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {createRandom} from "../../src/core/random.js";
import {cnnTrainingStep, DNNL_INSTALLED, expectClose, onBackend} from "../helpers/kernelCheck.js";

type Shape4 = [number, number, number, number];
interface Layer {
  size: number;
  cin: number;
  pad: "same" | "valid";
  stride: number;
  batch: number;
}

// The model's six convolutions (createCnn: 64 filters of 3x3), each at the smallest batch (at least
// 2, to keep the cpu side short) above the addon's 5 MFLOP floor for forward convolutions
// (src/node/backend/nativeConv.ts), so that all of them run natively.
const MODEL_LAYERS: Layer[] = MODEL_CONV_LAYERS.map((l) => {
  const out = l.pad === "same" ? l.size : l.size - 2;
  const flopsPerImage = 2 * out * out * 64 * 9 * l.cin;
  return {...l, stride: 1, batch: Math.max(2, Math.ceil(5e6 / flopsPerImage) + 1)};
});
// Not covered by the addon: must give the same results through the WASM fallback.
const FALLBACK: Layer = {size: 13, cin: 8, pad: "same", stride: 2, batch: 2};
const COUT = 64;

const title = (l: Layer) =>
  `x ${l.batch}x${l.size}x${l.size}x${l.cin}, filter 3x3x${l.cin}x${COUT}, stride ${l.stride}, ${l.pad}`;

/** Seeded input, filter, bias and upstream gradient for a layer. */
function layerData(l: Layer, seed: number) {
  const random = createRandom(seed);
  const values = (n: number) => Array.from({length: n}, () => random() * 2 - 1);
  const out = l.pad === "same" ? Math.ceil(l.size / l.stride) : Math.ceil((l.size - 2) / l.stride);
  const xShape: Shape4 = [l.batch, l.size, l.size, l.cin];
  const wShape: Shape4 = [3, 3, l.cin, COUT];
  const yShape: Shape4 = [l.batch, out, out, COUT];
  return {
    xShape,
    wShape,
    yShape,
    x: values(l.batch * l.size * l.size * l.cin),
    w: values(9 * l.cin * COUT),
    bias: values(COUT),
    dy: values(l.batch * out * out * COUT)
  };
}

/** The four kernels' outputs for a layer on the active backend. */
function kernels(l: Layer, d: ReturnType<typeof layerData>) {
  return tf.tidy(() => {
    const x = tf.tensor4d(d.x, d.xShape);
    const w = tf.tensor4d(d.w, d.wShape);
    const dy = tf.tensor4d(d.dy, d.yShape);
    const attrs = {strides: l.stride, pad: l.pad, dataFormat: "NHWC"};
    const read = (t: tf.Tensor) => t.dataSync() as Float32Array;
    return {
      forward: read(tf.conv2d(x, w, l.stride, l.pad)),
      fused: read(
        tf.fused.conv2d({x, filter: w, strides: l.stride, pad: l.pad, bias: tf.tensor1d(d.bias), activation: "relu"})
      ),
      fusedLinear: read(tf.fused.conv2d({x, filter: w, strides: l.stride, pad: l.pad, bias: tf.tensor1d(d.bias)})),
      fusedNoBias: read(tf.fused.conv2d({x, filter: w, strides: l.stride, pad: l.pad, activation: "relu"})),
      inputGrad: read(
        tf.engine().runKernel<tf.Tensor>("Conv2DBackpropInput", {dy, filter: w}, {...attrs, inputShape: d.xShape})
      ),
      filterGrad: read(
        tf.engine().runKernel<tf.Tensor>("Conv2DBackpropFilter", {x, dy}, {...attrs, filterShape: d.wShape})
      )
    };
  });
}

const KERNELS = ["Conv2D", "FusedConv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter"];

/** Compares with cpu; `nativeCalls`: how often each of KERNELS must have run natively on wasm. */
async function expectLayerMatchesCpu(l: Layer, seed: number, nativeCalls: number[]): Promise<void> {
  const data = layerData(l, seed);
  const before = KERNELS.map(nativeKernelCalls);
  const wasm = await onBackend("wasm", () => kernels(l, data));
  expect(
    KERNELS.map((k, i) => nativeKernelCalls(k) - before[i]),
    `native calls of ${KERNELS}`
  ).toEqual(nativeCalls);
  const cpu = await onBackend("cpu", () => kernels(l, data));
  expectClose(wasm.forward, cpu.forward, "Conv2D", 1e-4);
  expectClose(wasm.fused, cpu.fused, "FusedConv2D (bias, relu)", 1e-4);
  expectClose(wasm.fusedLinear, cpu.fusedLinear, "FusedConv2D (bias, linear)", 1e-4);
  expectClose(wasm.fusedNoBias, cpu.fusedNoBias, "FusedConv2D (relu, no bias)", 1e-4);
  expectClose(wasm.inputGrad, cpu.inputGrad, "Conv2DBackpropInput", 1e-4);
  expectClose(wasm.filterGrad, cpu.filterGrad, "Conv2DBackpropFilter", 1e-4);
}

const suite = DNNL_INSTALLED ? describe : describe.skip;

suite(`native convolutions on wasm${DNNL_INSTALLED ? "" : " (skipped: libdnnl-dev is not installed)"}`, () => {
  beforeAll(async () => {
    expect(await selectBackend("wasm")).toBe("wasm");
  });

  it("run FusedConv2D natively for the first layer of a batch, and leave one image's to WASM", () => {
    const calls = (batch: number) => {
      const before = nativeKernelCalls("FusedConv2D");
      tf.tidy(() => {
        const x = tf.randomUniform([batch, 28, 28, 1]) as tf.Tensor4D;
        const w = tf.randomUniform([3, 3, 1, 64]) as tf.Tensor4D;
        tf.fused.conv2d({x, filter: w, strides: 1, pad: "valid", bias: tf.ones([64]), activation: "relu"}).dataSync();
      });
      return nativeKernelCalls("FusedConv2D") - before;
    };
    // 16 x 26 x 26 x 64 outputs of 9 multiply-adds: 12.5 MFLOP; one image: 0.8 MFLOP, under the 5 MFLOP limit.
    expect(calls(16)).toBe(1);
    expect(calls(1)).toBe(0);
  });

  it("are active (the addon is built by `npm run build`)", () => {
    expect(existsSync(NATIVE_ADDON_PATH), `${NATIVE_ADDON_PATH} missing: run \`npm run build\``).toBe(true);
    expect(nativeKernelsActive(), "native convolutions not active: run `npm run build`").toBe(true);
  });

  MODEL_LAYERS.forEach((l, i) => {
    it(`match the cpu backend's Conv2D, FusedConv2D and both gradients for ${title(l)}`, async () => {
      await expectLayerMatchesCpu(l, 100 + i, [1, 3, 1, 1]);
    });
  });

  it(`fall back to the WASM kernels and still match cpu for ${title(FALLBACK)}`, async () => {
    await expectLayerMatchesCpu(FALLBACK, 200, [0, 0, 0, 0]);
  });

  it("give the cpu backend's loss and gradients for a training step of createCnn() on 2 real images", async () => {
    const examples = normalise(await loadFashionMnist("train", {limit: 2}));
    const labels = [examples.ys[0], examples.ys[1]];
    // dropout 0 makes the step deterministic on both backends.
    const step = (weights?: number[][]) => cnnTrainingStep(examples, labels, weights);
    const wasm = await onBackend("wasm", () => step());
    const cpu = await onBackend("cpu", () => step(wasm.initial));
    expect(wasm.names).toEqual(cpu.names);
    expect(wasm.names).toHaveLength(20);
    expect(wasm.loss).toBeCloseTo(cpu.loss, 4);
    wasm.names.forEach((name, i) => expectClose(wasm.grads[i], cpu.grads[i], name, 1e-3));
  });
});
