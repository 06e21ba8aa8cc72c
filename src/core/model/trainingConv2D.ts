/**
 * TF.js' Conv2D layer with a faster training path, used by the CNN (./cnn.ts) and, being
 * registered under the same class name, by every model loaded from JSON (resumed training).
 *
 * While gradients are recorded, tfjs-layers computes a convolution with bias and ReLU as three
 * kernels (tfjs-core's fused.conv2d fuses only when no gradient is recorded): Conv2D, Add and Relu,
 * each output kept for the backward pass, and the bias gradient as a separate sum. This layer runs
 * the one FusedConv2D kernel instead (on the native backend: oneDNN with the bias and ReLU inside
 * the convolution), whose gradient ../backend/fusedConvGradient.ts registers. Outside training,
 * and for anything but a 2-D, channels-last, biased convolution with ReLU or no activation, it is
 * the TF.js layer unchanged. Same class name, configuration, weights and results.
 */
import * as tf from "@tensorflow/tfjs";

import {registerFusedConv2DGradient} from "../kernels/fusedConvGradient.js";
import {singleInput, tfjsLayerClass, type LayerClass} from "./tfjsLayerClass.js";

type Conv2D = ReturnType<typeof tf.layers.conv2d>;
type Conv2DArgs = Parameters<typeof tf.layers.conv2d>[0];
type Conv2DConstructor = LayerClass<Conv2D, Conv2DArgs>;

const FUSED_ACTIVATIONS = new Set(["relu", "linear"]);

/** A Conv2D layer that trains with one FusedConv2D kernel per call (see the module comment). */
export class TrainingConv2D extends tfjsLayerClass<Conv2DConstructor>("Conv2D") {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Parameters<Conv2D["call"]>[1]): tf.Tensor | tf.Tensor[] {
    const activation = this.activation.getClassName();
    const x = singleInput(inputs);
    // Only while gradients are recorded: otherwise TF.js' own call already runs one fused kernel.
    const fusable =
      tf.engine().state.gradientDepth > 0 &&
      x &&
      x.rank === 4 &&
      x.dtype === "float32" &&
      this.rank === 2 &&
      this.dataFormat === "channelsLast" &&
      this.useBias &&
      FUSED_ACTIVATIONS.has(activation) &&
      this.dilationRate.every((d) => d === 1);
    if (!fusable) return super.call(inputs, kwargs);
    return tf
      .engine()
      .runKernel(
        "FusedConv2D",
        {x, filter: this.kernel.read(), bias: this.bias.read()},
        {strides: this.strides, pad: this.padding, dataFormat: "NHWC", dilations: [1, 1], activation}
      ) as tf.Tensor;
  }
}

registerFusedConv2DGradient();
tf.serialization.registerClass(TrainingConv2D);

/** Same arguments as tf.layers.conv2d. */
export function trainingConv2d(args: Conv2DArgs): Conv2D {
  return new TrainingConv2D(args);
}
