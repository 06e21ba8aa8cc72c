/**
 * Whether a model is what every view of fmnist-vis assumes: one 28×28×1 grey image in, one score
 * per Fashion-MNIST class out. Checked on a model the user brings (the web app's "your own model"),
 * so a wrong one gets a sentence saying what it is instead of an error deep inside TF.js. Isomorphic.
 */
import type * as tf from "@tensorflow/tfjs";

import {IMAGE_SIZE, NUM_CLASSES} from "../data/fashionMnist.js";
import {UserError} from "../errors.js";

const shapeText = (shape: readonly (number | null)[] | undefined) =>
  shape ? `[${shape.map((d) => (d === null ? "batch" : d)).join(", ")}]` : "none";

/** Throws a {@link UserError} naming `where` unless `model` maps [batch, 28, 28, 1] to [batch, 10]. */
export function checkImageClassifier(model: tf.LayersModel, where: string): void {
  const input = model.inputs.length === 1 ? model.inputs[0].shape : undefined;
  const output = model.outputs.length === 1 ? model.outputs[0].shape : undefined;
  const inputOk = input?.length === 4 && input[1] === IMAGE_SIZE && input[2] === IMAGE_SIZE && input[3] === 1;
  const outputOk = output?.length === 2 && output[1] === NUM_CLASSES;
  if (inputOk && outputOk) return;
  const counts = model.inputs.length !== 1 || model.outputs.length !== 1;
  throw new UserError(
    `${where} is not an image classifier of 28×28 grey images into the ${NUM_CLASSES} Fashion-MNIST classes: ` +
      (counts
        ? `it has ${model.inputs.length} inputs and ${model.outputs.length} outputs`
        : `its input is ${shapeText(input)} (needed: [batch, 28, 28, 1]) and its output ${shapeText(output)} (needed: [batch, ${NUM_CLASSES}])`) +
      ". Bring a model trained on Fashion-MNIST, such as one `fmnist train` writes or a Keras model of the original project."
  );
}
