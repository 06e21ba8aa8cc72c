import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";

import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {normalise} from "../../src/core/data/dataset.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {createCnn} from "../../src/core/model/cnn.js";
import {TrainingConv2D, trainingConv2d} from "../../src/core/model/trainingConv2D.js";
import {createRandom} from "../../src/core/random.js";
import {expectClose} from "../helpers/kernelCheck.js";
import {withoutLeak} from "../helpers/tensors.js";

type ConvArgs = Parameters<typeof tf.layers.conv2d>[0];

interface Result {
  loss: number;
  output: Float32Array;
  grads: Float32Array[];
  kernels: string[];
}

/**
 * One layer applied to a batch of real images (channels repeated): its inference output, and the
 * loss sum(y * probe) with its gradients for the kernel, bias and input, recorded as in training.
 */
async function run(layer: tf.layers.Layer, images: tf.Tensor4D, weights: tf.Tensor[]): Promise<Result> {
  return withoutLeak(async () => {
    // In a model, so that dispose() frees the layer's weights.
    const model = tf.sequential({layers: [tf.layers.inputLayer({inputShape: images.shape.slice(1)}), layer]});
    layer.setWeights(weights);
    const output = tf.tidy(() => (layer.apply(images) as tf.Tensor).dataSync() as Float32Array);
    let loss = 0;
    let grads: Float32Array[] = [];
    const info = await tf.profile(() => {
      const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      const probe = tf.randomUniform(layer.computeOutputShape(images.shape) as number[], -1, 1, "float32", 7);
      const f = () => tf.sum(tf.mul(layer.apply(images, {training: true}) as tf.Tensor, probe)) as tf.Scalar;
      const {value, grads: g} = tf.variableGrads(f, vars);
      const dx = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(layer.apply(x, {training: true}) as tf.Tensor, probe)))(
        images
      );
      loss = value.dataSync()[0];
      grads = [...vars.map((v) => g[v.name].dataSync() as Float32Array), dx.dataSync() as Float32Array];
      tf.dispose([value, dx, probe, ...Object.values(g)]);
    });
    model.dispose();
    return {loss, output, grads, kernels: info.kernels.map((k) => k.name)};
  });
}

describe("TrainingConv2D", () => {
  let images: tf.Tensor4D;
  let weights: (cin: number) => tf.Tensor[];
  beforeAll(async () => {
    expect(await selectBackend("wasm")).toBe("wasm");
    const examples = normalise(await loadFashionMnist("test", {limit: 4}));
    images = tf.tensor4d(examples.xs, [4, 28, 28, 1]);
    const random = createRandom(11);
    weights = (cin) => [
      tf.tensor4d(
        Array.from({length: 9 * cin * 8}, () => random() * 0.6 - 0.3),
        [3, 3, cin, 8]
      ),
      // Negative biases too, so ReLU cuts part of the outputs.
      tf.tensor1d(Array.from({length: 8}, () => random() - 0.5))
    ];
  });

  const configs: {title: string; args: ConvArgs; fused: boolean}[] = [
    {
      title: "3x3, 8 filters, relu, valid (the CNN's layers)",
      args: {filters: 8, kernelSize: 3, activation: "relu"},
      fused: true
    },
    {
      title: "same padding, stride 2, no activation",
      args: {filters: 8, kernelSize: 3, strides: 2, padding: "same"},
      fused: true
    },
    {title: "sigmoid (not fused: TF.js' path)", args: {filters: 8, kernelSize: 3, activation: "sigmoid"}, fused: false}
  ];
  for (const backend of ["cpu", "wasm"] as const) {
    configs.forEach(({title, args, fused}) => {
      it(`gives TF.js' Conv2D outputs and gradients on ${backend}: ${title}`, async () => {
        await tf.setBackend(backend);
        try {
          const w = weights(1);
          const ours = await run(trainingConv2d(args), images, w);
          const theirs = await run(tf.layers.conv2d(args), images, w);
          tf.dispose(w);
          expectClose(ours.output, theirs.output, "inference output", 1e-5);
          expect(ours.loss).toBeCloseTo(theirs.loss, 3);
          ["kernel", "bias", "input"].forEach((name, i) =>
            expectClose(ours.grads[i], theirs.grads[i], `d${name}`, 1e-4)
          );
          const count = (kernels: string[], name: string) => kernels.filter((k) => k === name).length;
          if (fused) {
            // A FusedConv2D per recorded call (two; WASM's own gradient kernels may run more
            // inside them), no separate bias add or ReLU.
            expect(count(ours.kernels, "FusedConv2D")).toBeGreaterThanOrEqual(2);
            for (const k of ["Add", "BiasAdd", "Relu"]) expect(count(ours.kernels, k), k).toBe(0);
          } else {
            expect(ours.kernels).toEqual(theirs.kernels);
          }
          if (args.activation === "relu") {
            // While recording, TF.js' layer runs the convolution, bias add and ReLU as separate kernels.
            expect(count(theirs.kernels, "FusedConv2D")).toBe(0);
            expect(count(theirs.kernels, "Relu")).toBe(2);
          }
        } finally {
          await tf.setBackend("wasm");
        }
      });
    });
  }

  it("serialises as Keras' Conv2D, and models loaded from JSON train with it", async () => {
    const model = createCnn({filters: 4});
    const convs = model.layers.filter((l) => l.getClassName() === "Conv2D");
    expect(convs).toHaveLength(6);
    expect(convs.every((l) => l instanceof TrainingConv2D)).toBe(true);
    const plain = tf.layers.conv2d({
      name: "conv2d",
      filters: 4,
      kernelSize: 3,
      activation: "relu",
      inputShape: [28, 28, 1]
    });
    expect(convs[0].getConfig()).toEqual({
      ...plain.getConfig(),
      kernelInitializer: convs[0].getConfig().kernelInitializer
    });
    const json = model.toJSON(undefined, false) as {config: {layers: {class_name: string}[]}};
    expect(json.config.layers.map((l) => l.class_name).filter((c) => c === "Conv2D")).toHaveLength(6);
    const loaded = await tf.models.modelFromJSON({modelTopology: json as unknown as tf.io.ModelJSON["modelTopology"]});
    const loadedConvs = loaded.layers.filter((l) => l.getClassName() === "Conv2D");
    expect(loadedConvs.every((l) => l instanceof TrainingConv2D)).toBe(true);
    model.dispose();
    loaded.dispose();
  });
});
