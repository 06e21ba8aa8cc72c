import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";

import {registerFusedConv2DGradient} from "../../src/core/kernels/fusedConvGradient.js";
import {nativeKernelCalls, nativeKernelsActive} from "../../src/node/backend/nativeAddon.js";
import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {normalise} from "../../src/core/data/dataset.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {createRandom} from "../../src/core/random.js";
import {DNNL_INSTALLED, expectClose, onBackend} from "../helpers/kernelCheck.js";
import {withoutLeak} from "../helpers/tensors.js";

type Shape4 = [number, number, number, number];

interface Case {
  title: string;
  activation: "relu" | "linear";
  pad: "same" | "valid";
  stride: number;
  cin: number;
  size: number;
}

const CASES: Case[] = [
  {
    title: "relu, same, 64 channels in (the CNN's second layer)",
    activation: "relu",
    pad: "same",
    stride: 1,
    cin: 64,
    size: 13
  },
  {title: "relu, valid, 1 channel in (the first layer)", activation: "relu", pad: "valid", stride: 1, cin: 1, size: 28},
  {title: "linear, valid, stride 2", activation: "linear", pad: "valid", stride: 2, cin: 8, size: 11}
];
const BATCH = 3;
const COUT = 16;

/** A real Fashion-MNIST batch (channels repeated to `cin`), seeded filters, bias and upstream weights. */
function caseData(c: Case, images: Float32Array, seed: number) {
  const random = createRandom(seed);
  const values = (n: number, scale: number) => Array.from({length: n}, () => (random() * 2 - 1) * scale);
  const x = new Float32Array(BATCH * c.size * c.size * c.cin);
  const offset = Math.floor((28 - c.size) / 2);
  // Crop the centre size x size of each 28 x 28 image; channel k is the pixel times (1 + k / cin).
  for (let i = 0; i < x.length; i++) {
    const ch = i % c.cin;
    const pixel = Math.floor(i / c.cin);
    const n = Math.floor(pixel / (c.size * c.size));
    const r = Math.floor(pixel / c.size) % c.size;
    const col = pixel % c.size;
    x[i] = images[n * 784 + (r + offset) * 28 + col + offset] * (1 + ch / c.cin);
  }
  return {
    x,
    xShape: [BATCH, c.size, c.size, c.cin] as Shape4,
    w: values(9 * c.cin * COUT, 0.3),
    wShape: [3, 3, c.cin, COUT] as Shape4,
    // Negative biases too, so that ReLU cuts a real share of the outputs.
    bias: values(COUT, 0.5),
    seed
  };
}

type Data = ReturnType<typeof caseData>;

/** loss = sum(conv(x) * r) for a fixed random r; gradients of x, filter and bias through `conv`. */
function gradients(c: Case, d: Data, conv: (x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D) => tf.Tensor4D) {
  return tf.tidy(() => {
    const x = tf.tensor4d(d.x, d.xShape);
    const w = tf.tensor4d(d.w, d.wShape);
    const b = tf.tensor1d(d.bias);
    const probe = tf.tidy(() => tf.randomUniform(conv(x, w, b).shape, -1, 1, "float32", d.seed));
    const f = (xs: tf.Tensor4D, ws: tf.Tensor4D, bs: tf.Tensor1D) => tf.sum(tf.mul(conv(xs, ws, bs), probe));
    const {value, grads} = tf.valueAndGrads(f as (...args: tf.Tensor[]) => tf.Scalar)([x, w, b]);
    const [dx, dw, db] = grads.map((g) => g.dataSync() as Float32Array);
    return {loss: value.dataSync()[0], dx, dw, db};
  });
}

/** The FusedConv2D kernel itself, recorded on the tape with the registered gradient. */
const fusedKernel = (c: Case) => (x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D) =>
  tf
    .engine()
    .runKernel(
      "FusedConv2D",
      {x, filter: w, bias: b},
      {strides: c.stride, pad: c.pad, dataFormat: "NHWC", dilations: 1, activation: c.activation}
    ) as tf.Tensor4D;

/** TF.js' own ops and gradients: conv2d, add, relu. */
const unfused = (c: Case) => (x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D) => {
  const z = tf.add(tf.conv2d(x, w, c.stride, c.pad), b);
  return (c.activation === "relu" ? tf.relu(z) : z) as tf.Tensor4D;
};

describe("the FusedConv2D gradient (bias with ReLU or linear)", () => {
  let images: Float32Array;
  beforeAll(async () => {
    registerFusedConv2DGradient();
    expect(await selectBackend("wasm")).toBe("wasm");
    images = normalise(await loadFashionMnist("test", {limit: BATCH})).xs;
  });

  CASES.forEach((c, i) => {
    it(`matches TF.js' unfused ops' gradients on cpu and wasm: ${c.title}`, async () => {
      const data = caseData(c, images, 300 + i);
      const reference = await onBackend("cpu", () => gradients(c, data, unfused(c)));
      for (const backend of ["cpu", "wasm"] as const) {
        const fused = await onBackend(backend, () => gradients(c, data, fusedKernel(c)));
        expect(fused.loss, `${backend} loss`).toBeCloseTo(reference.loss, 2);
        expectClose(fused.dx, reference.dx, `${backend} dx`, 1e-4);
        expectClose(fused.dw, reference.dw, `${backend} dfilter`, 1e-4);
        expectClose(fused.db, reference.db, `${backend} dbias`, 1e-4);
      }
      if (c.activation === "relu") {
        // The test means something only if ReLU zeroes part of the output.
        const zeros = await onBackend("cpu", () =>
          tf.tidy(() => {
            const y = fusedKernel(c)(
              tf.tensor4d(data.x, data.xShape),
              tf.tensor4d(data.w, data.wShape),
              tf.tensor1d(data.bias)
            );
            return tf.mean(tf.cast(tf.equal(y, 0), "float32")).dataSync()[0];
          })
        );
        expect(zeros).toBeGreaterThan(0.1);
        expect(zeros).toBeLessThan(0.9);
      }
    });
  });

  /** The kernels `fn` runs on `backend` (leaving no tensors behind). */
  async function kernelsRun(backend: "cpu" | "wasm", fn: () => void): Promise<string[]> {
    await tf.setBackend(backend);
    try {
      const info = await withoutLeak(() => tf.profile(fn), `tensors leaked on ${backend}`);
      return info.kernelNames;
    } finally {
      await tf.setBackend("wasm");
    }
  }

  it("does not compute the input gradient when only the weights need one (the first layer)", async () => {
    const c = CASES[0];
    const data = caseData(c, images, 400);
    for (const backend of ["cpu", "wasm"] as const) {
      const kernels = await kernelsRun(backend, () => {
        const [w, b] = tf.tidy(() => [
          tf.variable(tf.tensor4d(data.w, data.wShape)),
          tf.variable(tf.tensor1d(data.bias))
        ]);
        const x = tf.tensor4d(data.x, data.xShape);
        const {value, grads} = tf.variableGrads(
          () => tf.sum(fusedKernel(c)(x, w as tf.Tensor4D, b as tf.Tensor1D)),
          [w, b]
        );
        tf.dispose([value, ...Object.values(grads), w, b, x]);
      });
      expect(kernels, backend).toContain("FusedConv2D");
      expect(kernels, backend).toContain("Conv2DBackpropFilter");
      expect(kernels, backend).not.toContain("Conv2DBackpropInput");
    }
  });

  it("says which activations it does not support", async () => {
    const data = caseData(CASES[0], images, 500);
    await tf.setBackend("cpu");
    try {
      // The tape's saved tensors are not freed when a gradient throws: no leak check here.
      expect(() =>
        tf.tidy(() =>
          tf.grad((xs: tf.Tensor) =>
            tf.sum(
              tf
                .engine()
                .runKernel(
                  "FusedConv2D",
                  {x: xs, filter: tf.tensor4d(data.w, data.wShape), bias: tf.tensor1d(data.bias)},
                  {strides: 1, pad: "same", dataFormat: "NHWC", dilations: 1, activation: "sigmoid"}
                ) as tf.Tensor
            )
          )(tf.tensor4d(data.x, data.xShape))
        )
      ).toThrow(/activation sigmoid is not supported/);
    } finally {
      await tf.setBackend("wasm");
    }
  });

  const nativeIt = DNNL_INSTALLED ? it : it.skip;
  nativeIt("runs natively on wasm, forward in one kernel and the ReLU gradient as one kernel", async () => {
    expect(nativeKernelsActive()).toBe(true);
    const c = CASES[0];
    const data = caseData(c, images, 600);
    const before = nativeKernelCalls("FusedConv2D");
    const kernels = await kernelsRun("wasm", () => void gradients(c, data, fusedKernel(c)));
    expect(nativeKernelCalls("FusedConv2D")).toBeGreaterThan(before);
    expect(kernels).toContain("FmnistReluGrad");
    for (const unfusedKernel of ["Conv2D", "Relu", "Step", "Add"]) expect(kernels).not.toContain(unfusedKernel);
  });
});
