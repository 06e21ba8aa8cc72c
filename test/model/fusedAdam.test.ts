import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";

import {nativeKernelsActive} from "../../src/node/backend/nativeAddon.js";
import {ADAM_UPDATE_KERNEL} from "../../src/core/kernels/adamUpdateKernel.js";
import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {createAdam} from "../../src/core/model/fusedAdam.js";
import {createRandom} from "../../src/core/random.js";
import {DNNL_INSTALLED, expectClose} from "../helpers/kernelCheck.js";

const SHAPES = [[3, 3, 8, 16], [16], [40, 10]];

function values(n: number, seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({length: n}, () => random() * 2 - 1);
}

interface Run {
  values: Float32Array[];
  weights: {name: string; values: Float32Array}[];
  kernels: string[];
  /** Tensors held after steps 2, 3 and 4: flat when an update frees everything it made. */
  tensorCounts: number[];
}

/** Four Adam steps on three variables with seeded gradients, on the active backend. */
async function fourSteps(optimizer: tf.Optimizer, tag: string): Promise<Run> {
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  const vars = SHAPES.map((shape, i) =>
    tf.tidy(() => tf.variable(tf.tensor(values(size(shape), i), shape), true, `${tag}_${i}`))
  );
  const kernels: string[] = [];
  const tensorCounts: number[] = [];
  for (let step = 0; step < 4; step++) {
    const grads = vars.map((v, i) => ({name: v.name, tensor: tf.tensor(values(v.size, 100 * step + i), v.shape)}));
    const profile = await tf.profile(() => optimizer.applyGradients(grads));
    kernels.push(...profile.kernels.map((k) => k.name));
    tf.dispose(grads.map((g) => g.tensor));
    if (step > 0) tensorCounts.push(tf.memory().numTensors);
  }
  const weights = await optimizer.getWeights();
  const run = {
    values: vars.map((v) => v.dataSync() as Float32Array),
    weights: weights.map((w) => ({name: w.name.replace(tag, "x"), values: w.tensor.dataSync() as Float32Array})),
    kernels,
    tensorCounts
  };
  tf.dispose([...vars, ...weights.map((w) => w.tensor)]);
  optimizer.dispose();
  return run;
}

describe("createAdam()", () => {
  beforeAll(async () => {
    expect(await selectBackend("wasm")).toBe("wasm");
  });

  it("is TF.js' Adam as far as saving goes: class name, config", () => {
    const adam = createAdam(0.002);
    expect(adam.getClassName()).toBe("Adam");
    const reference = tf.train.adam(0.002);
    expect(adam.getConfig()).toEqual(reference.getConfig());
    adam.dispose();
    reference.dispose();
  });

  const suite = DNNL_INSTALLED ? it : it.skip;
  suite(
    `updates each variable with one ${ADAM_UPDATE_KERNEL} kernel on wasm and matches tf.train.adam on cpu`,
    async () => {
      expect(nativeKernelsActive()).toBe(true);
      const fused = await fourSteps(createAdam(0.01), "fused");
      expect(new Set(fused.tensorCounts).size, `tensors held after steps 2-4: ${fused.tensorCounts}`).toBe(1);
      await tf.setBackend("cpu");
      const reference = await fourSteps(tf.train.adam(0.01), "plain").finally(() => tf.setBackend("wasm"));
      expect(fused.kernels.filter((k) => k === ADAM_UPDATE_KERNEL)).toHaveLength(4 * SHAPES.length);
      expect(fused.kernels).not.toContain("Sqrt");
      fused.values.forEach((v, i) => expectClose(v, reference.values[i], `variable ${i}`, 1e-6));
      expect(fused.weights.map((w) => w.name)).toEqual(reference.weights.map((w) => w.name));
      fused.weights.forEach((w, i) => {
        // The first entry is the iteration count (int32), the rest the moments.
        if (i === 0) expect(Array.from(w.values)).toEqual(Array.from(reference.weights[0].values));
        else expectClose(w.values, reference.weights[i].values, w.name, 1e-6);
      });
    }
  );
});
