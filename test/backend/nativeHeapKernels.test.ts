import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";

import {nativeKernelsActive} from "../../src/node/backend/nativeAddon.js";
import {nativeKernelCalls} from "../../src/node/backend/nativeAddon.js";
import {RELU_GRAD_KERNEL} from "../../src/core/kernels/reluGradient.js";
import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {createRandom} from "../../src/core/random.js";
import {DNNL_INSTALLED, expectClose, onBackend} from "../helpers/kernelCheck.js";

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
      const before = nativeKernelCalls("MaxPoolGrad");
      const wasm = await onBackend("wasm", run);
      expect(nativeKernelCalls("MaxPoolGrad") - before, "native calls").toBe(1);
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

  const binaryCases: {a: number[]; b: number[]}[] = [
    {a: [16, 26, 26, 64], b: [16, 26, 26, 64]},
    {a: [16, 26, 26, 64], b: [64]},
    {a: [64], b: [16, 26, 26, 64]},
    {a: [16, 13, 13, 64], b: [1, 1, 1, 64]},
    {a: [16, 13, 13, 64], b: []},
    {a: [], b: [5, 7]},
    {a: [40, 1], b: [1, 30]} // outer product: not covered, the WASM kernel runs
  ];
  const KERNEL = {add: "Add", sub: "Sub", mul: "Multiply", div: "RealDiv", squaredDifference: "SquaredDifference"};
  for (const op of ["add", "sub", "mul", "div", "squaredDifference"] as const) {
    binaryCases.forEach((c, i) => {
      it(`${op} of [${c.a}] and [${c.b}] matches cpu`, async () => {
        const a = values(size(c.a), 80 + i);
        // Divisors kept away from 0.
        const b = values(size(c.b), 90 + i).map((v) => (op === "div" ? v + Math.sign(v || 1) * 0.5 : v));
        const run = () => tf.tidy(() => tf[op](tf.tensor(a, c.a), tf.tensor(b, c.b)).dataSync() as Float32Array);
        const before = nativeKernelCalls(KERNEL[op]);
        const wasm = await onBackend("wasm", run);
        expect(nativeKernelCalls(KERNEL[op]) - before, "native calls").toBe(i === binaryCases.length - 1 ? 0 : 1);
        const cpu = await onBackend("cpu", run);
        expectClose(wasm, cpu, `${op} [${c.a}] [${c.b}]`, 1e-6);
      });
    });
  }

  it("relu and square match cpu (NaN stays NaN through relu)", async () => {
    const shape = [16, 26, 26, 64];
    const x = values(size(shape), 100, 0.1);
    x[3] = Number.NaN;
    const run = () =>
      tf.tidy(() => {
        const t = tf.tensor(x, shape);
        return {relu: tf.relu(t).dataSync() as Float32Array, square: tf.square(t).dataSync() as Float32Array};
      });
    const before = nativeKernelCalls("Relu") + nativeKernelCalls("Square");
    const wasm = await onBackend("wasm", run);
    expect(nativeKernelCalls("Relu") + nativeKernelCalls("Square") - before, "native calls").toBe(2);
    const cpu = await onBackend("cpu", run);
    for (const k of ["relu", "square"] as const) {
      expect(Number.isNaN(wasm[k][3]), `${k}(NaN)`).toBe(true);
      wasm[k][3] = cpu[k][3] = 0;
      expectClose(wasm[k], cpu[k], k, 1e-6);
    }
  });

  const bnCases: {stats: number[]; offset: boolean; scale: boolean}[] = [
    {stats: [64], offset: true, scale: true},
    {stats: [1, 1, 1, 64], offset: true, scale: true},
    {stats: [64], offset: false, scale: true},
    {stats: [64], offset: true, scale: false}
  ];
  bnCases.forEach((c, i) => {
    const what = `${c.offset ? "with" : "without"} offset, ${c.scale ? "with" : "without"} scale`;
    it(`batchNorm of 16x13x13x64 with [${c.stats}] statistics, ${what}, matches cpu`, async () => {
      const shape = [16, 13, 13, 64];
      const x = values(size(shape), 110 + i);
      const stat = (seed: number, shift: number) => values(64, seed).map((v) => v + shift);
      const [mean, variance, offset, scale] = [stat(120, 0), stat(121, 1.5), stat(122, 0), stat(123, 1)];
      const run = () =>
        tf.tidy(
          () =>
            tf
              .batchNorm(
                tf.tensor(x, shape),
                tf.tensor(mean, c.stats),
                tf.tensor(variance, c.stats),
                c.offset ? tf.tensor(offset, c.stats) : undefined,
                c.scale ? tf.tensor(scale, c.stats) : undefined,
                1e-3
              )
              .dataSync() as Float32Array
        );
      const before = nativeKernelCalls("FusedBatchNorm");
      const wasm = await onBackend("wasm", run);
      expect(nativeKernelCalls("FusedBatchNorm") - before, "native calls").toBe(1);
      const cpu = await onBackend("cpu", run);
      expectClose(wasm, cpu, "batchNorm", 1e-5);
    });
  });
});
