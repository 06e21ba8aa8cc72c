import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";

import {nativeKernelCalls, nativeKernelsActive} from "../../src/node/backend/nativeAddon.js";
import {
  BATCH_NORM_TRAINING_GRAD_KERNEL,
  BATCH_NORM_TRAINING_KERNEL
} from "../../src/core/kernels/batchNormTrainingKernel.js";
import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {normalise} from "../../src/core/data/dataset.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {createCnn} from "../../src/core/model/cnn.js";
import {TrainingBatchNormalization, trainingBatchNormalization} from "../../src/core/model/trainingBatchNorm.js";
import {DNNL_INSTALLED, expectClose} from "../helpers/kernelCheck.js";
import {withoutLeak} from "../helpers/tensors.js";

type BatchNormArgs = Parameters<typeof tf.layers.batchNormalization>[0];

interface Result {
  inference: Float32Array;
  training: Float32Array;
  moving: Float32Array[];
  grads: Float32Array[];
  kernels: string[];
}

const ARGS: BatchNormArgs = {momentum: 0.9, epsilon: 1e-3};
const CHANNELS = 7;

/**
 * A layer on real pixels (7 neighbouring pixels as channels, each scaled and shifted differently):
 * inference output, then one training call's output and moving statistics, and the gradients of
 * sum(y * probe) for x, gamma and beta; the kernels of the training calls.
 */
async function run(layer: tf.layers.Layer, x: tf.Tensor4D): Promise<Result> {
  return withoutLeak(async () => {
    const model = tf.sequential({layers: [tf.layers.inputLayer({inputShape: x.shape.slice(1)}), layer]});
    // Non-trivial gamma, beta and moving statistics, so that each takes part visibly.
    const c = CHANNELS;
    const ramp = (a: number, b: number) => tf.tensor1d(Array.from({length: c}, (_, i) => a + b * i));
    const start = [ramp(0.5, 0.25), ramp(-0.3, 0.1), ramp(0.2, 0.05), ramp(0.5, 0.3)];
    layer.setWeights(start);
    tf.dispose(start);
    const read = (t: tf.Tensor) => t.dataSync() as Float32Array;
    const inference = tf.tidy(() => read(layer.apply(x) as tf.Tensor));
    let training: Float32Array = new Float32Array(0);
    let grads: Float32Array[] = [];
    const info = await tf.profile(() => {
      training = tf.tidy(() => read(layer.apply(x, {training: true}) as tf.Tensor));
      const probe = tf.randomUniform(x.shape, -1, 1, "float32", 5);
      const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      const loss = (input: tf.Tensor) =>
        tf.sum(tf.mul(layer.apply(input, {training: true}) as tf.Tensor, probe)) as tf.Scalar;
      const {value, grads: g} = tf.variableGrads(() => loss(x), vars);
      const dx = tf.grad(loss)(x);
      grads = [read(dx), ...vars.map((v) => read(g[v.name]))];
      tf.dispose([value, dx, probe, ...Object.values(g)]);
    });
    // Three training calls: the moving statistics moved three times.
    const moving = layer.getWeights().slice(2).map(read);
    model.dispose();
    return {inference, training, moving, grads, kernels: info.kernels.map((k) => k.name)};
  });
}

describe("TrainingBatchNormalization", () => {
  let x: tf.Tensor4D;
  beforeAll(async () => {
    expect(await selectBackend("wasm")).toBe("wasm");
    const examples = normalise(await loadFashionMnist("test", {limit: 16}));
    const scale = tf.tensor1d(Array.from({length: CHANNELS}, (_, i) => 1 + i));
    const shift = tf.tensor1d(Array.from({length: CHANNELS}, (_, i) => i - 3));
    x = tf.tidy(() => tf.add(tf.mul(tf.tensor4d(examples.xs, [16, 28, 28 / CHANNELS, CHANNELS]), scale), shift));
    tf.dispose([scale, shift]);
  });

  it("gives TF.js' outputs, moving statistics and gradients (wasm against cpu's TF.js layer)", async () => {
    await tf.setBackend("cpu");
    const theirs = await run(tf.layers.batchNormalization(ARGS), x);
    await tf.setBackend("wasm");
    const before = [BATCH_NORM_TRAINING_KERNEL, BATCH_NORM_TRAINING_GRAD_KERNEL].map(nativeKernelCalls);
    const ours = await run(trainingBatchNormalization(ARGS), x);
    expectClose(ours.inference, theirs.inference, "inference output", 1e-5);
    expectClose(ours.training, theirs.training, "training output", 1e-4);
    ["moving mean", "moving variance"].forEach((name, i) => expectClose(ours.moving[i], theirs.moving[i], name, 1e-5));
    ["x", "gamma", "beta"].forEach((name, i) => expectClose(ours.grads[i], theirs.grads[i], `d${name}`, 1e-4));
    if (nativeKernelsActive()) {
      // Three training calls, two of them differentiated: one kernel each way, no moments.
      const after = [BATCH_NORM_TRAINING_KERNEL, BATCH_NORM_TRAINING_GRAD_KERNEL].map(nativeKernelCalls);
      expect(after.map((n, i) => n - before[i])).toEqual([3, 2]);
      for (const k of ["Mean", "SquaredDifference", "FusedBatchNorm", "Rsqrt"])
        expect(ours.kernels, k).not.toContain(k);
      expect(theirs.kernels).toContain("Mean");
    }
  });

  it("is TF.js' layer where the backend has no native kernel (cpu)", async () => {
    await tf.setBackend("cpu");
    try {
      const ours = await run(trainingBatchNormalization(ARGS), x);
      const theirs = await run(tf.layers.batchNormalization(ARGS), x);
      expect(ours.kernels).toEqual(theirs.kernels);
      expectClose(ours.training, theirs.training, "training output", 1e-6);
    } finally {
      await tf.setBackend("wasm");
    }
  });

  // The native kernels exist where the addon is built and not switched off (the wasm-only project).
  const nativeIt = DNNL_INSTALLED && process.env.FMNIST_NATIVE !== "0" ? it : it.skip;
  nativeIt("rejects inputs that do not fit with a message naming the kernel", () => {
    expect(() =>
      tf.tidy(() =>
        tf.engine().runKernel(
          BATCH_NORM_TRAINING_KERNEL,
          {
            x: tf.ones([2, 3, 4]),
            gamma: tf.ones([3]),
            beta: tf.ones([4]),
            movingMean: tf.ones([4]),
            movingVariance: tf.ones([4])
          },
          {epsilon: 1e-3, momentum: 0.99}
        )
      )
    ).toThrow(/FmnistBatchNormTraining: expects float32 x \[\.\.\., C\] and vectors \[C\]/);
  });

  it("serialises as BatchNormalization, and models loaded from JSON use it", async () => {
    const model = createCnn({filters: 4});
    const bns = model.layers.filter((l) => l.getClassName() === "BatchNormalization");
    expect(bns).toHaveLength(3);
    expect(bns.every((l) => l instanceof TrainingBatchNormalization)).toBe(true);
    const json = model.toJSON(undefined, false) as tf.io.ModelJSON["modelTopology"];
    const loaded = await tf.models.modelFromJSON({modelTopology: json});
    expect(loaded.layers.filter((l) => l instanceof TrainingBatchNormalization)).toHaveLength(3);
    const bnConfigs = (m: tf.LayersModel) =>
      m.layers.filter((l) => l instanceof TrainingBatchNormalization).map((l) => l.getConfig());
    expect(bnConfigs(loaded)).toEqual(bnConfigs(model));
    model.dispose();
    loaded.dispose();
  });
});
