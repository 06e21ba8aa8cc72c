import {existsSync} from "node:fs";

import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";

import {nativeKernelsActive} from "../../src/backend/nativeAddon.js";
import {RELU_GRAD_KERNEL} from "../../src/backend/nativeHeapKernels.js";
import {selectBackend} from "../../src/backend/selectBackend.js";
import {createRandom} from "../../src/random.js";
import {expectClose, onBackend} from "../helpers/kernelCheck.js";

// With oneDNN's headers installed, `npm run build` builds the addon and these kernels must be active.
const DNNL_INSTALLED = ["/usr/include/dnnl.hpp", "/usr/include/oneapi/dnnl/dnnl.hpp"].some((p) => existsSync(p));
const suite = DNNL_INSTALLED ? describe : describe.skip;

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Seeded values in [-1, 1); `zeroShare` of them exactly 0 (ReLU outputs: pooling windows with ties). */
function values(n: number, seed: number, zeroShare = 0): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({length: n}, () => (random() < zeroShare ? 0 : random() * 2 - 1));
}

suite(`native heap kernels on wasm${DNNL_INSTALLED ? "" : " (skipped: libdnnl-dev is not installed)"}`, () => {
  beforeAll(async () => {
    expect(await selectBackend("wasm")).toBe("wasm");
    expect(nativeKernelsActive(), "native kernels not active: run `npm run build`").toBe(true);
  });

  // Large shapes run on both threads (>= 32,768 elements), small ones on one.
  const reductions: {shape: number[]; axis: number[]; keepDims: boolean}[] = [
    {shape: [32, 26, 26, 64], axis: [0, 1, 2], keepDims: false},
    {shape: [32, 13, 13, 64], axis: [0, 1, 2], keepDims: true},
    {shape: [7, 3, 5], axis: [0, 1], keepDims: false},
    {shape: [100003, 3], axis: [0], keepDims: false}
  ];
  reductions.forEach((c, i) => {
    for (const op of ["sum", "mean"] as const) {
      it(`${op} of ${c.shape.join("x")} over [${c.axis}] matches cpu`, async () => {
        const data = values(size(c.shape), 10 + i);
        const run = () =>
          tf.tidy(() => tf[op](tf.tensor(data, c.shape), c.axis, c.keepDims).dataSync() as Float32Array);
        const wasm = await onBackend("wasm", run);
        const cpu = await onBackend("cpu", run);
        expectClose(wasm, cpu, `${op} ${c.shape}`, 1e-5);
      });
    }
  });

  const pools: {shape: number[]; size: number; stride: number; pad: "valid" | "same"}[] = [
    {shape: [16, 26, 26, 64], size: 2, stride: 2, pad: "valid"},
    {shape: [16, 11, 11, 64], size: 2, stride: 2, pad: "valid"},
    {shape: [3, 9, 9, 5], size: 3, stride: 1, pad: "same"},
    {shape: [3, 9, 9, 5], size: 3, stride: 2, pad: "same"}
  ];
  pools.forEach((p, i) => {
    it(`MaxPoolGrad ${p.size}x${p.size} stride ${p.stride} ${p.pad} of ${p.shape.join("x")} (with ties) matches cpu`, async () => {
      const x = values(size(p.shape), 30 + i, 0.4);
      const run = () =>
        tf.tidy(() => {
          const input = tf.tensor4d(x, p.shape as [number, number, number, number]);
          const f = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, p.size, p.stride, p.pad);
          const out = f(input);
          const dy = tf.tensor(values(out.size, 50 + i), out.shape);
          return tf
            .grad(f)(input, dy as tf.Tensor4D)
            .dataSync() as Float32Array;
        });
      const wasm = await onBackend("wasm", run);
      const cpu = await onBackend("cpu", run);
      expectClose(wasm, cpu, "MaxPoolGrad", 1e-6);
    });
  });

  it(`the ReLU gradient runs as ${RELU_GRAD_KERNEL} on wasm and matches cpu (zeros, negatives, NaN)`, async () => {
    const shape = [8, 26, 26, 64];
    const x = values(size(shape), 70, 0.2);
    x[5] = Number.NaN;
    const dy = values(size(shape), 71);
    const run = () =>
      tf.tidy(() =>
        tf
          .grad((t: tf.Tensor) => tf.relu(t))(tf.tensor(x, shape), tf.tensor(dy, shape))
          .dataSync()
      );
    const wasm = await onBackend("wasm", run);
    const cpu = await onBackend("cpu", run);
    expect(Number.isNaN(wasm[5]) && Number.isNaN(cpu[5])).toBe(true);
    wasm[5] = cpu[5] = 0;
    expectClose(wasm, cpu, "Relu gradient", 0);
    const profile = await tf.profile(() =>
      tf.tidy(() => tf.grad((t: tf.Tensor) => tf.relu(t))(tf.tensor(x, shape), tf.tensor(dy, shape)))
    );
    tf.dispose(profile.result);
    const kernels = profile.kernels.map((k) => k.name);
    expect(kernels).toContain(RELU_GRAD_KERNEL);
    expect(kernels).not.toContain("Step");
  });
});
