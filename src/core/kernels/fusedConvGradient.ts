/**
 * A gradient for the `FusedConv2D` kernel with a bias and ReLU or no activation, so that a training
 * step can run convolution, bias and ReLU as one kernel (../model/trainingConv2D.ts).
 * Dilations must be 1, as for TF.js' own convolution gradients.
 *
 * TF.js registers no gradient for this kernel: its `fused.conv2d` op, while gradients are being
 * recorded, runs Conv2D, Add and Relu as three kernels (each output kept for the backward pass),
 * and its own fused gradient computes every input's gradient eagerly. Here the gradients are
 * TF.js' formulas: dz = dy * step(y) (y, the output, is positive exactly where the pre-activation
 * is), dx = conv2dBackpropInput(dz), dfilter = conv2dBackpropFilter(x, dz), dbias = sum(dz) over
 * all but the channel axis. Only dz is computed up front; dx is not computed where no gradient
 * flows to x (the first layer, whose input is the data).
 */
import * as tf from "@tensorflow/tfjs";

import {reluGradient} from "./reluGradient.js";

/** The FusedConv2D attributes (tfjs-core's FusedConv2DAttrs). */
interface FusedConvAttrs {
  strides: [number, number] | number;
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dilations: [number, number] | number;
  dimRoundingMode?: "floor" | "round" | "ceil";
  activation?: string;
}

/** The gradient function; throws for activations other than ReLU and linear. */
export const fusedConv2DGradient: NonNullable<ReturnType<typeof tf.getGradient>>["gradFunc"] = (dy, saved, attrs) => {
  const [x, filter, y] = saved;
  const a = attrs as unknown as FusedConvAttrs;
  const activation = a.activation ?? "linear";
  if (activation !== "relu" && activation !== "linear") {
    throw new Error(`FusedConv2D gradient: activation ${activation} is not supported (only relu and linear)`);
  }
  if (!tf.backend_util.tupleValuesAreOne(a.dilations)) {
    throw new Error(
      `FusedConv2D gradient: dilations ${String(a.dilations)} are not supported (as in TF.js' conv2d gradient)`
    );
  }
  const dyT = dy as tf.Tensor4D;
  const dz = activation === "relu" ? reluGradient(dyT, y) : dyT;
  const conv: tf.NamedAttrMap = {strides: a.strides, pad: a.pad, dataFormat: a.dataFormat};
  if (a.dimRoundingMode !== undefined) conv.dimRoundingMode = a.dimRoundingMode;
  const channelAxis = a.dataFormat === "NCHW" ? 1 : 3;
  return {
    x: () =>
      tf.engine().runKernel("Conv2DBackpropInput", {dy: dz, filter}, {...conv, inputShape: x.shape}) as tf.Tensor,
    filter: () =>
      tf.engine().runKernel("Conv2DBackpropFilter", {x, dy: dz}, {...conv, filterShape: filter.shape}) as tf.Tensor,
    bias: () =>
      tf.sum(
        dz,
        [0, 1, 2, 3].filter((axis) => axis !== channelAxis)
      )
  };
};

let registered = false;

/** Registers {@link fusedConv2DGradient} for FusedConv2D (global, all backends); idempotent. */
export function registerFusedConv2DGradient(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: "FusedConv2D",
    inputsToSave: ["x", "filter"],
    outputsToSave: [true],
    gradFunc: fusedConv2DGradient
  });
}
