/**
 * "Precise" batch-norm statistics (Wu & Johnson, "Rethinking 'Batch' in BatchNorm", 2021): replace
 * each batch-norm layer's moving mean and variance by the exact statistics of its input over a pass
 * of training images, in inference mode. The moving averages (momentum 0.99) need a few hundred
 * steps to forget their initial values and lag the weights all through training, which made short
 * runs (`--limit 3000 --epochs 3`: ~70 steps) useless at inference time; exact statistics don't.
 */
import * as tf from "@tensorflow/tfjs";

import type {Examples} from "../data/dataset.js";
import {applyLayers} from "./logits.js";
import {batchTensor} from "./metrics.js";

/** Images per forward chunk: bounds memory whatever the sample size. */
const CHUNK = 256;

function isBatchNorm(layer: tf.layers.Layer): boolean {
  return layer.getClassName() === "BatchNormalization";
}

/**
 * Sets every batch-norm layer's moving statistics of the sequential `model` to the mean and
 * (unbiased) variance of its input over the first `count` images of `examples`. Layers are done in
 * order, each one's input computed with the statistics already set upstream, as inference sees them.
 */
export function recomputeBatchNormStatistics(model: tf.LayersModel, examples: Examples, count = 4096): void {
  const n = Math.min(count, examples.count);
  if (n < 2) return;
  model.layers.forEach((layer, index) => {
    if (!isBatchNorm(layer)) return;
    let sum: Float64Array | undefined;
    let sumSquares: Float64Array | undefined;
    let values = 0;
    for (let start = 0; start < n; start += CHUNK) {
      const size = Math.min(CHUNK, n - start);
      const [s, ss, perChannel] = tf.tidy(() => {
        const x = applyLayers(model, batchTensor(examples, start, size), 0, index);
        const axes = x.shape.slice(0, -1).map((_, i) => i);
        return [tf.sum(x, axes), tf.sum(tf.square(x), axes), x.size / (x.shape.at(-1) ?? 1)] as const;
      });
      const sData = s.dataSync();
      const ssData = ss.dataSync();
      tf.dispose([s, ss]);
      sum ??= new Float64Array(sData.length);
      sumSquares ??= new Float64Array(sData.length);
      for (let c = 0; c < sData.length; c++) {
        sum[c] += sData[c];
        sumSquares[c] += ssData[c];
      }
      values += perChannel;
    }
    if (!sum || !sumSquares) return;
    const mean = new Float32Array(sum.length);
    const variance = new Float32Array(sum.length);
    for (let c = 0; c < sum.length; c++) {
      mean[c] = sum[c] / values;
      variance[c] = Math.max(0, (sumSquares[c] - values * mean[c] * mean[c]) / (values - 1));
    }
    const write = (suffix: string, values: Float32Array) => {
      const variable = layer.weights.find((w) => w.originalName.endsWith(suffix));
      if (!variable) throw new Error(`${layer.name} has no ${suffix} weight`);
      const t = tf.tensor1d(values);
      variable.write(t);
      t.dispose();
    };
    write("moving_mean", mean);
    write("moving_variance", variance);
  });
}
