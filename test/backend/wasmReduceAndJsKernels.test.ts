import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";

import {leadingAxesMatrix} from "../../src/node/backend/leadingAxesReduce.js";
import {BROADCAST_ROWS_KERNEL} from "../../src/node/backend/meanGradient.js";
import {nativeKernelsActive} from "../../src/node/backend/nativeAddon.js";
import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {createRandom} from "../../src/core/random.js";
import {expectClose, onBackend} from "../helpers/kernelCheck.js";

type Shape = number[];

// Captured at import, before selectBackend registers the project's kernels (each test file is its own process).
const NATIVE: Record<string, tf.KernelConfig | undefined> = {
  Sum: tf.getKernel("Sum", "wasm"),
  Mean: tf.getKernel("Mean", "wasm")
};

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function randomValues(n: number, seed: number, reluShare = 0): Float32Array {
  const random = createRandom(seed);
  // reluShare of the values are 0, as after a ReLU: max-pool windows then have ties.
  return Float32Array.from({length: n}, () => (random() < reluShare ? 0 : random() * 2 - 1));
}

beforeAll(async () => {
  expect(await selectBackend("wasm")).toBe("wasm");
  // The "wasm-only" test project runs this file with the native addon off: these kernels, not its.
  if (process.env.FMNIST_NATIVE === "0") expect(nativeKernelsActive()).toBe(false);
});

describe("leadingAxesMatrix(shape, axes)", () => {
  it("gives rows and columns when the axes are the leading ones, in any order", () => {
    expect(leadingAxesMatrix([128, 26, 26, 64], [0, 1, 2])).toEqual([128 * 26 * 26, 64]);
    expect(leadingAxesMatrix([128, 26, 26, 64], [2, 0, 1])).toEqual([128 * 26 * 26, 64]);
    expect(leadingAxesMatrix([10, 3], [0])).toEqual([10, 3]);
  });

  it("is null for other reductions", () => {
    expect(leadingAxesMatrix([4, 5, 6], [1, 2])).toBeNull();
    expect(leadingAxesMatrix([4, 5, 6], [0, 2])).toBeNull();
    expect(leadingAxesMatrix([4, 5, 6], [0, 1, 2])).toBeNull(); // all axes: a full reduction
    expect(leadingAxesMatrix([4, 5, 6], [])).toBeNull();
  });
});

describe("Sum and Mean on wasm", () => {
  const cases: {shape: Shape; axis: number[]; keepDims: boolean}[] = [
    {shape: [16, 9, 9, 8], axis: [0, 1, 2], keepDims: false},
    {shape: [16, 9, 9, 8], axis: [0, 1, 2], keepDims: true},
    {shape: [16, 9, 9, 8], axis: [-4, -3, -2], keepDims: false},
    {shape: [3000, 5], axis: [0], keepDims: false},
    {shape: [16, 9, 9, 8], axis: [0, 1], keepDims: false},
    {shape: [1, 1, 4], axis: [0, 1], keepDims: false},
    {shape: [16, 9, 9, 8], axis: [3], keepDims: true},
    {shape: [16, 9, 9, 8], axis: [1, 2], keepDims: false}
  ];
  cases.forEach((c, i) => {
    for (const op of ["sum", "mean"] as const) {
      it(`${op} of ${c.shape.join("x")} over [${c.axis.join(", ")}]${c.keepDims ? ", keepDims" : ""} matches cpu`, async () => {
        const values = randomValues(size(c.shape), 100 + i);
        const run = () =>
          tf.tidy(() => {
            const y = tf[op](tf.tensor(values, c.shape), c.axis, c.keepDims);
            return {shape: y.shape, data: y.dataSync() as Float32Array};
          });
        const wasm = await onBackend("wasm", run);
        const cpu = await onBackend("cpu", run);
        expect(wasm.shape).toEqual(cpu.shape);
        expectClose(wasm.data, cpu.data, op);
      });
    }
  });

  it("replaces the backend's Sum and Mean", () => {
    for (const name of ["Sum", "Mean"]) {
      expect(tf.getKernel(name, "wasm")?.kernelFunc).not.toBe(NATIVE[name]?.kernelFunc);
      expect(tf.getKernel(name, "wasm")?.setupFunc).toBe(NATIVE[name]?.setupFunc);
    }
  });

  it("leaves int32 sums exact", async () => {
    const values = Int32Array.from({length: 4096}, (_, i) => (i * 7919) % 1000);
    const y = tf.sum(tf.tensor(values, [2048, 2], "int32"), 0);
    expect(y.dtype).toBe("int32");
    const expected = [0, 1].map((c) => values.filter((_, i) => i % 2 === c).reduce((a, b) => a + b, 0));
    expect(Array.from(y.dataSync())).toEqual(expected);
    y.dispose();
  });
});

describe("MaxPoolGrad on wasm", () => {
  const cases: {shape: Shape; filter: number; stride: number; pad: "valid" | "same"; rounding?: "ceil"}[] = [
    {shape: [3, 26, 26, 8], filter: 2, stride: 2, pad: "valid"}, // the model's pooling
    {shape: [2, 11, 11, 5], filter: 2, stride: 2, pad: "valid"}, // odd size: last row and column unused
    {shape: [2, 9, 7, 3], filter: 3, stride: 2, pad: "same"},
    {shape: [2, 8, 8, 3], filter: 3, stride: 1, pad: "same"}, // overlapping windows
    {shape: [2, 9, 9, 4], filter: 2, stride: 2, pad: "valid", rounding: "ceil"}
  ];
  cases.forEach((c, i) => {
    it(`matches the cpu kernel for ${c.shape.join("x")}, pool ${c.filter}, stride ${c.stride}, ${c.pad}${c.rounding ? `, ${c.rounding}` : ""}`, async () => {
      const x = randomValues(size(c.shape), 200 + i, 0.4);
      const run = () =>
        tf.tidy(() => {
          const input = tf.tensor4d(x, c.shape as [number, number, number, number]);
          const attrs: tf.NamedAttrMap = {filterSize: c.filter, strides: c.stride, pad: c.pad};
          if (c.rounding) attrs.dimRoundingMode = c.rounding;
          const output = tf.engine().runKernel<tf.Tensor4D>("MaxPool", {x: input}, attrs);
          const dy = tf.tensor(randomValues(size(output.shape), 300 + i), output.shape);
          const dx = tf.engine().runKernel<tf.Tensor>("MaxPoolGrad", {dy, input, output}, attrs);
          expect(dx.shape).toEqual(c.shape);
          return dx.dataSync() as Float32Array;
        });
      expectClose(await onBackend("wasm", run), await onBackend("cpu", run), "dx");
    });
  });

  it("is the gradient tf.maxPool uses", async () => {
    const x = randomValues(2 * 6 * 6 * 3, 400, 0.3);
    const run = () =>
      tf.tidy(() => {
        const f = (t: tf.Tensor) =>
          tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, 2, 2, "valid"), tf.reshape(tf.range(1, 28), [1, 3, 3, 3])));
        return tf
          .grad(f)(tf.tensor4d(x, [2, 6, 6, 3]))
          .dataSync() as Float32Array;
      });
    expectClose(await onBackend("wasm", run), await onBackend("cpu", run), "dx");
  });
});

describe("Transpose on wasm", () => {
  for (const perm of [
    [3, 1, 2, 0],
    [1, 2, 0, 3],
    [0, 3, 1, 2]
  ]) {
    it(`matches cpu for perm [${perm.join(", ")}]`, async () => {
      const values = randomValues(5 * 4 * 3 * 7, 500);
      const run = () =>
        tf.tidy(() => {
          const y = tf.transpose(tf.tensor4d(values, [5, 4, 3, 7]), perm);
          return {shape: y.shape, data: y.dataSync() as Float32Array};
        });
      const wasm = await onBackend("wasm", run);
      const cpu = await onBackend("cpu", run);
      expect(wasm.shape).toEqual(cpu.shape);
      expect(Array.from(wasm.data)).toEqual(Array.from(cpu.data));
    });
  }
});

describe("Identity on wasm", () => {
  it("shares the input's memory (no copy) and keeps it alive after the input is disposed", () => {
    const backend = tf.engine().backend;
    const x = tf.tensor2d(randomValues(6, 7), [2, 3]);
    const expected = x.dataSync().slice();
    const buffers = backend.numDataIds();
    const y = tf.clone(x);
    expect(backend.numDataIds()).toBe(buffers);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual(Array.from(expected));
    y.dispose();
    expect(backend.numDataIds()).toBe(buffers - 1);
  });
});

describe("the Mean gradient", () => {
  const cases: {shape: number[]; axis: number[]; broadcast: boolean}[] = [
    {shape: [16, 13, 13, 64], axis: [0, 1, 2], broadcast: true},
    {shape: [6, 5], axis: [0], broadcast: true},
    {shape: [16, 3, 3, 64], axis: [1, 2], broadcast: false} // global average pooling: TF.js' gradient
  ];
  cases.forEach((c, i) => {
    it(`over [${c.axis}] of ${c.shape.join("x")} matches cpu${c.broadcast ? ", without a full-size ones tensor" : ""}`, async () => {
      const x = randomValues(size(c.shape), 300 + i);
      // A weighted sum of the means, so each mean gets a different upstream gradient.
      const grad = () =>
        tf.grad((t: tf.Tensor) => {
          const m = tf.mean(t, c.axis);
          return tf.sum(tf.mul(m, tf.range(1, 1 + m.size).reshape(m.shape)));
        });
      const run = () => tf.tidy(() => grad()(tf.tensor(x, c.shape)).dataSync() as Float32Array);
      const wasm = await onBackend("wasm", run);
      const cpu = await onBackend("cpu", run);
      expectClose(wasm, cpu, "Mean gradient", 1e-6);
      const profile = await tf.profile(() => tf.tidy(() => grad()(tf.tensor(x, c.shape))));
      tf.dispose(profile.result);
      expect(profile.kernels.map((k) => k.name).includes(BROADCAST_ROWS_KERNEL)).toBe(c.broadcast);
    });
  });
});
