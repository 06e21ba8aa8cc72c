import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";

import {
  conv2dFilterGradient,
  conv2dInputGradient,
  registerWasmConvGradients
} from "../../src/node/backend/convGradKernels.js";
import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {normalise} from "../../src/core/data/dataset.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {createRandom, type Random} from "../../src/core/random.js";
import {cnnTrainingStep, expectClose, onBackend} from "../helpers/kernelCheck.js";

type Shape4 = [number, number, number, number];
type Pad = "same" | "valid" | number;
type Rounding = "floor" | "round" | "ceil";

// The WASM formulations are under test here, so the native convolutions (tested in nativeConv.test.ts) stay off.
process.env.FMNIST_NATIVE = "0";

// Captured at import, before anything registers the project's kernels (each test file is its own process).
const FILTER_KERNEL_BEFORE = tf.getKernel("Conv2DBackpropFilter", "wasm");
const NATIVE_INPUT_KERNEL = tf.getKernel("Conv2DBackpropInput", "wasm");

/** `n` uniform values in [-1, 1). */
function randomValues(n: number, random: Random): number[] {
  return Array.from({length: n}, () => random() * 2 - 1);
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

interface ConvCase {
  xShape: Shape4;
  filterShape: Shape4;
  stride: number;
  pad: Pad;
  rounding?: Rounding;
}

const caseTitle = (c: ConvCase): string =>
  `x ${c.xShape.join("x")}, filter ${c.filterShape.join("x")}, stride ${c.stride}, pad ${c.pad}` +
  (c.rounding ? `, ${c.rounding}` : "");

/** Inputs of the two shapes' batch, H, W, in channels; out channels come from the case list. */
const INPUTS: [number, number, number, number, number][] = [
  [1, 7, 9, 1, 2],
  [2, 8, 8, 3, 4],
  [3, 9, 7, 8, 5],
  [2, 6, 5, 2, 8]
];

const CASES: ConvCase[] = [];
for (const stride of [1, 2]) {
  for (const pad of ["same", "valid"] as const) {
    for (const [kh, kw] of [
      [3, 3],
      [5, 3]
    ]) {
      for (const [n, h, w, ci, co] of INPUTS)
        CASES.push({xShape: [n, h, w, ci], filterShape: [kh, kw, ci, co], stride, pad});
    }
  }
}
// The width of the real model's inner layers.
CASES.push({xShape: [1, 8, 8, 64], filterShape: [3, 3, 64, 64], stride: 1, pad: "same"});
CASES.push({xShape: [1, 8, 8, 64], filterShape: [3, 3, 64, 64], stride: 1, pad: "valid"});

/** Kernel-level cases: explicit numeric padding and rounding modes, which tf.conv2d's gradient also passes through. */
const KERNEL_CASES: ConvCase[] = [
  ...CASES.filter((_, i) => i % 4 === 2),
  {xShape: [2, 8, 8, 3], filterShape: [3, 3, 3, 4], stride: 1, pad: 2},
  {xShape: [2, 8, 8, 3], filterShape: [5, 3, 3, 4], stride: 1, pad: 1, rounding: "ceil"},
  {xShape: [2, 8, 8, 3], filterShape: [3, 3, 3, 4], stride: 2, pad: 1},
  {xShape: [2, 8, 8, 3], filterShape: [3, 3, 3, 4], stride: 2, pad: 1, rounding: "floor"},
  {xShape: [2, 8, 8, 3], filterShape: [3, 3, 3, 4], stride: 2, pad: 1, rounding: "ceil"},
  // The last window overhangs the input: (8 - 3) / 2 + 1 = 3.5 rounds up to 4 rows and columns.
  {xShape: [2, 8, 8, 3], filterShape: [3, 3, 3, 4], stride: 2, pad: 0, rounding: "ceil"},
  {xShape: [2, 8, 8, 3], filterShape: [3, 3, 3, 4], stride: 2, pad: 0, rounding: "round"}
];

function outputShape(c: ConvCase): Shape4 {
  const info = tf.backend_util.computeConv2DInfo(
    c.xShape,
    c.filterShape,
    c.stride,
    1,
    c.pad,
    c.rounding,
    false,
    "channelsLast"
  );
  return [c.xShape[0], info.outHeight, info.outWidth, c.filterShape[3]];
}

/** Seeded data for a case: input, filter and upstream gradient. */
function caseData(c: ConvCase, seed: number): {x: number[]; filter: number[]; dy: number[]} {
  const random = createRandom(seed);
  return {
    x: randomValues(size(c.xShape), random),
    filter: randomValues(size(c.filterShape), random),
    dy: randomValues(size(outputShape(c)), random)
  };
}

function kernelAttrs(c: ConvCase): tf.NamedAttrMap {
  const attrs: tf.NamedAttrMap = {strides: c.stride, pad: c.pad, dataFormat: "NHWC"};
  if (c.rounding) attrs.dimRoundingMode = c.rounding;
  return attrs;
}

/** Runs `kernel` of the active backend on the tensors `inputs` makes; checks that it returns `outShape`. */
function runKernel(kernel: string, inputs: () => tf.NamedTensorMap, attrs: tf.NamedAttrMap, outShape: Shape4) {
  return tf.tidy(() => {
    const out = tf.engine().runKernel<tf.Tensor>(kernel, inputs(), attrs);
    expect(out.shape).toEqual(outShape);
    return out.dataSync() as Float32Array;
  });
}

/** Runs the Conv2DBackpropFilter kernel of the active backend. */
function filterKernel(c: ConvCase, data: {x: number[]; dy: number[]}): Float32Array {
  const inputs = () => ({x: tf.tensor4d(data.x, c.xShape), dy: tf.tensor4d(data.dy, outputShape(c))});
  return runKernel("Conv2DBackpropFilter", inputs, {...kernelAttrs(c), filterShape: c.filterShape}, c.filterShape);
}

/** Runs the Conv2DBackpropInput kernel of the active backend. */
function inputKernel(c: ConvCase, data: {filter: number[]; dy: number[]}): Float32Array {
  const inputs = () => ({dy: tf.tensor4d(data.dy, outputShape(c)), filter: tf.tensor4d(data.filter, c.filterShape)});
  return runKernel("Conv2DBackpropInput", inputs, {...kernelAttrs(c), inputShape: c.xShape}, c.xShape);
}

/** Gradients of sum(conv2d(x, filter) * dy) with respect to x and filter, on the active backend. */
function conv2dGradients(c: ConvCase, data: {x: number[]; filter: number[]; dy: number[]}) {
  return tf.tidy(() => {
    const x = tf.tensor4d(data.x, c.xShape);
    const filter = tf.tensor4d(data.filter, c.filterShape);
    const dy = tf.tensor4d(data.dy, outputShape(c));
    const pad = c.pad as "same" | "valid";
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, pad), dy));
    const [dx, dw] = tf.grads(f)([x, filter]);
    return {dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array};
  });
}

beforeAll(async () => {
  expect(await selectBackend("wasm")).toBe("wasm");
});

describe("registerWasmConvGradients()", () => {
  it("adds a Conv2DBackpropFilter kernel to wasm, which has none of its own", () => {
    expect(FILTER_KERNEL_BEFORE).toBeUndefined();
    expect(tf.getKernel("Conv2DBackpropFilter", "wasm")).toBeDefined();
  });

  it("replaces wasm's Conv2DBackpropInput but keeps its setup function for the strided fallback", () => {
    expect(NATIVE_INPUT_KERNEL).toBeDefined();
    const replaced = tf.getKernel("Conv2DBackpropInput", "wasm");
    expect(replaced).toBeDefined();
    expect(replaced).not.toBe(NATIVE_INPUT_KERNEL);
    expect(replaced?.kernelFunc).not.toBe(NATIVE_INPUT_KERNEL?.kernelFunc);
    expect(replaced?.setupFunc).toBe(NATIVE_INPUT_KERNEL?.setupFunc);
  });

  it("is idempotent", () => {
    const filter = tf.getKernel("Conv2DBackpropFilter", "wasm");
    const input = tf.getKernel("Conv2DBackpropInput", "wasm");
    registerWasmConvGradients();
    expect(tf.getKernel("Conv2DBackpropFilter", "wasm")).toBe(filter);
    expect(tf.getKernel("Conv2DBackpropInput", "wasm")).toBe(input);
  });

  it("rejects NCHW in the filter gradient", () => {
    const x = tf.zeros([1, 5, 5, 1]);
    const dy = tf.zeros([1, 3, 3, 1]);
    expect(() =>
      tf
        .engine()
        .runKernel(
          "Conv2DBackpropFilter",
          {x, dy},
          {strides: 1, pad: "valid", dataFormat: "NCHW", filterShape: [3, 3, 1, 1]}
        )
    ).toThrow(/NCHW is not supported/);
    tf.dispose([x, dy]);
  });
});

describe("gradients of tf.conv2d on wasm", () => {
  CASES.forEach((c, i) => {
    it(`match the cpu backend for ${caseTitle(c)}`, async () => {
      const data = caseData(c, 1000 + i);
      const wasm = await onBackend("wasm", () => conv2dGradients(c, data));
      const cpu = await onBackend("cpu", () => conv2dGradients(c, data));
      expectClose(wasm.dw, cpu.dw, "filter gradient", 1e-3);
      expectClose(wasm.dx, cpu.dx, "input gradient", 1e-3);
    });
  });
});

// Each kernel on its own, on its own seeds.
const KERNELS = [
  {name: "Conv2DBackpropFilter", run: filterKernel, what: "filter gradient", seeds: 2000},
  {name: "Conv2DBackpropInput", run: inputKernel, what: "input gradient", seeds: 3000}
];
for (const kernel of KERNELS) {
  describe(`${kernel.name} kernel on wasm`, () => {
    KERNEL_CASES.forEach((c, i) => {
      it(`matches the cpu kernel for ${caseTitle(c)}`, async () => {
        const data = caseData(c, kernel.seeds + i);
        const wasm = await onBackend("wasm", () => kernel.run(c, data));
        const cpu = await onBackend("cpu", () => kernel.run(c, data));
        expectClose(wasm, cpu, kernel.what, 1e-3);
      });
    });
  });
}

// The formulations themselves, evaluated on the reference backend against its own kernels.
describe("conv2dFilterGradient(x, dy, filterShape, strides, pad) on cpu", () => {
  KERNEL_CASES.forEach((c, i) => {
    it(`equals cpu's Conv2DBackpropFilter for ${caseTitle(c)}`, async () => {
      const data = caseData(c, 4000 + i);
      const formula = await onBackend("cpu", () =>
        tf.tidy(() => {
          const g = conv2dFilterGradient(
            tf.tensor4d(data.x, c.xShape),
            tf.tensor4d(data.dy, outputShape(c)),
            c.filterShape,
            c.stride,
            c.pad,
            c.rounding
          );
          expect(g.shape).toEqual(c.filterShape);
          return g.dataSync() as Float32Array;
        })
      );
      const kernel = await onBackend("cpu", () => filterKernel(c, data));
      expectClose(formula, kernel, "filter gradient", 1e-3);
    });
  });
});

describe("conv2dInputGradient(inputShape, dy, filter, pad) on cpu", () => {
  KERNEL_CASES.filter((c) => c.stride === 1).forEach((c, i) => {
    it(`equals tf.conv2dTranspose for ${caseTitle(c)}`, async () => {
      const data = caseData(c, 5000 + i);
      const formula = await onBackend("cpu", () =>
        tf.tidy(() => {
          const g = conv2dInputGradient(
            c.xShape,
            tf.tensor4d(data.dy, outputShape(c)),
            tf.tensor4d(data.filter, c.filterShape),
            c.pad,
            c.rounding
          );
          expect(g.shape).toEqual(c.xShape);
          return g.dataSync() as Float32Array;
        })
      );
      const transpose = await onBackend("cpu", () =>
        tf.tidy(
          () =>
            tf
              .conv2dTranspose(
                tf.tensor4d(data.dy, outputShape(c)),
                tf.tensor4d(data.filter, c.filterShape),
                c.xShape,
                1,
                c.pad,
                c.rounding
              )
              .dataSync() as Float32Array
        )
      );
      expectClose(formula, transpose, "input gradient", 1e-3);
    });
  });
});

describe("a training step of createCnn() on wasm", () => {
  it("gives the cpu backend's loss and gradients for 2 real images", async () => {
    const examples = normalise(await loadFashionMnist("train", {limit: 8}));
    const labels = [examples.ys[0], examples.ys[1]];
    // 16 filters keep the cpu side to a few seconds; dropout 0 makes the step deterministic on both backends.
    const step = (weights?: number[][]) => cnnTrainingStep(examples, labels, weights);
    await tf.setBackend("wasm");
    const wasm = step();
    const cpu = await onBackend("cpu", () => step(wasm.initial));
    expect(wasm.names).toEqual(cpu.names);
    expect(wasm.names).toHaveLength(20); // 6 convs and the dense layer (kernel, bias), 3 batch norms (gamma, beta)
    expect(wasm.loss).toBeCloseTo(cpu.loss, 4);
    wasm.names.forEach((name, i) => {
      let maxDiff = 0;
      let maxAbs = 0;
      cpu.grads[i].forEach((g, j) => {
        maxDiff = Math.max(maxDiff, Math.abs(wasm.grads[i][j] - g));
        maxAbs = Math.max(maxAbs, Math.abs(g));
      });
      expect(maxAbs, `${name}: zero gradient`).toBeGreaterThan(0);
      expect(maxDiff / maxAbs, `${name}: relative max abs diff`).toBeLessThanOrEqual(1e-3);
      expect(Number.isFinite(maxDiff), `${name}: non-finite gradient`).toBe(true);
    });
  });
});
