import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";

import {originalBatchNormGradient, registerBatchNormGradient} from "../../src/node/backend/batchNormGradient.js";
import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {createRandom} from "../../src/core/random.js";
import {expectClose} from "../helpers/kernelCheck.js";
import {withoutLeak} from "../helpers/tensors.js";

const GRADIENT_BEFORE = tf.getGradient("FusedBatchNorm");

function values(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({length: n}, () => lo + random() * (hi - lo));
}

const INPUTS = ["x", "mean", "variance", "scale", "offset"] as const;

/** Each input's gradient from `gradFunc`, for batch-norm inputs of `shape` with per-channel statistics. */
function gradients(
  gradFunc: NonNullable<ReturnType<typeof tf.getGradient>>["gradFunc"],
  shape: [number, number, number, number],
  withScale: boolean,
  seed: number
): Record<string, Float32Array> {
  return tf.tidy(() => {
    const c = shape[3];
    const n = shape.reduce((a, b) => a * b, 1);
    const x = tf.tensor4d(values(n, seed, -2, 3), shape);
    const dy = tf.tensor4d(values(n, seed + 1), shape);
    const mean = tf.tensor1d(values(c, seed + 2));
    const variance = tf.tensor1d(values(c, seed + 3, 0.1, 2));
    const scale = withScale ? tf.tensor1d(values(c, seed + 4, 0.5, 1.5)) : undefined;
    const saved = [x, mean, variance, scale] as tf.Tensor[];
    const grads = gradFunc(dy, saved, {varianceEpsilon: 1e-3});
    const out: Record<string, Float32Array> = {};
    for (const input of INPUTS) out[input] = grads[input]().dataSync() as Float32Array;
    return out;
  });
}

beforeAll(async () => {
  expect(await selectBackend("wasm")).toBe("wasm");
});

describe("registerBatchNormGradient()", () => {
  it("replaces TF.js' FusedBatchNorm gradient and keeps the original", () => {
    expect(GRADIENT_BEFORE).toBeDefined();
    const now = tf.getGradient("FusedBatchNorm");
    expect(now?.gradFunc).not.toBe(GRADIENT_BEFORE?.gradFunc);
    expect(now?.inputsToSave).toEqual(GRADIENT_BEFORE?.inputsToSave);
    expect(originalBatchNormGradient()).toBe(GRADIENT_BEFORE?.gradFunc);
    registerBatchNormGradient();
    expect(tf.getGradient("FusedBatchNorm")).toBe(now);
  });

  for (const backend of ["cpu", "wasm"] as const) {
    for (const withScale of [true, false]) {
      it(`gives TF.js' own gradients for x, mean, variance, scale and offset on ${backend}${withScale ? "" : ", without scale"}`, async () => {
        await tf.setBackend(backend);
        try {
          const ours = tf.getGradient("FusedBatchNorm")?.gradFunc;
          const original = originalBatchNormGradient();
          if (!ours || !original) throw new Error("gradient missing");
          const shape: [number, number, number, number] = [12, 7, 6, 5];
          const [mine, theirs] = withoutLeak(() => [
            gradients(ours, shape, withScale, 10),
            gradients(original, shape, withScale, 10)
          ]);
          for (const input of INPUTS) expectClose(mine[input], theirs[input], `${backend}: ${input}`);
        } finally {
          await tf.setBackend("wasm");
        }
      });
    }
  }

  it("matches cpu through tfjs-layers' BatchNormalization in training mode (batch statistics)", async () => {
    const shape: [number, number, number, number] = [16, 8, 8, 4];
    const x = values(
      shape.reduce((a, b) => a * b, 1),
      20,
      -1,
      2
    );
    const w = values(
      shape.reduce((a, b) => a * b, 1),
      21
    );
    const run = () => {
      const layer = tf.layers.batchNormalization({epsilon: 1e-3});
      layer.build(shape);
      const gammaBeta = [tf.tensor1d([0.5, 1, 1.5, 2]), tf.tensor1d([0, 0.1, 0.2, 0.3])];
      layer.setWeights([...gammaBeta, ...layer.getWeights().slice(2)]);
      tf.dispose(gammaBeta);
      const result = tf.tidy(() => {
        const weights = tf.tensor4d(w, shape);
        const f = (input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input, {training: true}) as tf.Tensor, weights));
        return tf.grad(f)(tf.tensor4d(x, shape)).dataSync() as Float32Array;
      });
      tf.dispose(layer.weights.map((v) => v.read()));
      return result;
    };
    const wasm = run();
    await tf.setBackend("cpu");
    try {
      expectClose(wasm, run(), "dx");
    } finally {
      await tf.setBackend("wasm");
    }
  });
});
