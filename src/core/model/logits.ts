/**
 * The network as a differentiable function of a batch, for the explanation methods (../viz/cam.ts,
 * ../viz/attribution/): a range of its layers applied in inference mode, and the class scores
 * before the softmax (logits), which gradients explain better than probabilities (a saturated
 * softmax has near-zero gradients). The shipped model ends in a Dense layer with a softmax, so the
 * logits are that layer's linear part. Isomorphic.
 */
import * as tf from "@tensorflow/tfjs";

/** Runs layers [from, to) of `model` on `x` in inference mode (Keras' InputLayer is skipped). */
export function applyLayers(model: tf.LayersModel, x: tf.Tensor, from: number, to: number): tf.Tensor {
  let y = x;
  for (let i = from; i < to; i++) {
    if (model.layers[i].getClassName() === "InputLayer") continue;
    y = model.layers[i].apply(y, {training: false}) as tf.Tensor;
  }
  return y;
}

/** How the last layer turns scores into probabilities. */
function finalSoftmax(model: tf.LayersModel): "dense" | "activation" | "none" {
  const last = model.layers[model.layers.length - 1];
  const activation = (last.getConfig() as {activation?: string}).activation;
  if (activation !== "softmax") return "none";
  return last.getClassName() === "Dense" ? "dense" : last.getClassName() === "Activation" ? "activation" : "none";
}

/**
 * Pre-softmax class scores [n, classes] of layers [from, end) applied to `x` (the input batch
 * when `from` is 0, else the output of layer from - 1). A final softmax Dense layer is replaced
 * by its linear part (kernel and bias), a final softmax Activation is skipped, and any other last
 * layer is taken to output scores already.
 */
export function logitsFrom(model: tf.LayersModel, x: tf.Tensor, from = 0): tf.Tensor2D {
  const last = model.layers.length - 1;
  const kind = finalSoftmax(model);
  return tf.tidy(() => {
    let y = applyLayers(model, x, from, kind === "none" ? last + 1 : last);
    if (kind === "dense") {
      const [kernel, bias] = model.layers[last].getWeights();
      y = tf.add(tf.matMul(y as tf.Tensor2D, kernel as tf.Tensor2D), bias);
    }
    return y as tf.Tensor2D;
  });
}

/**
 * The score a gradient explains, summed over the batch (each image's gradient is then its own):
 * the logit of `classIndex`, minus the logit of `against` when given (a contrastive score, "why
 * this class rather than that one").
 */
export function classScore(logits: tf.Tensor2D, classIndex: number, against?: number): tf.Scalar {
  return tf.tidy(() => {
    const score = tf.slice(logits, [0, classIndex], [-1, 1]);
    const contrast = against === undefined ? score : tf.sub(score, tf.slice(logits, [0, against], [-1, 1]));
    return tf.sum(contrast);
  });
}
