/**
 * TF.js' BatchNormalization layer with a faster training path, used by the CNN (./cnn.ts) and,
 * registered under the same class name, by every model loaded from JSON (resumed training).
 *
 * In training, tfjs-layers normalises with the batch's moments and updates the moving averages
 * through about twenty small kernels per layer and their gradients. Where the backend has the
 * native kernel (wasm with the addon, ../backend/nativeBatchNorm.ts), this layer runs it instead:
 * one kernel for the normalised output, the batch statistics and the new moving averages, one for
 * the gradient. Anywhere else, for inference, and for configurations other than the last axis
 * with both gamma and beta, it is the TF.js layer unchanged. Same class name, configuration,
 * weights and results.
 */
import * as tf from "@tensorflow/tfjs";

import {BATCH_NORM_TRAINING_KERNEL, type BatchNormTrainingAttrs} from "../kernels/batchNormTrainingKernel.js";
import {singleInput, tfjsLayerClass, type LayerClass} from "./tfjsLayerClass.js";

type BatchNorm = ReturnType<typeof tf.layers.batchNormalization>;
type BatchNormArgs = Parameters<typeof tf.layers.batchNormalization>[0];
type BatchNormConstructor = LayerClass<BatchNorm, BatchNormArgs | undefined>;
type LayerVariable = BatchNorm["weights"][number];

interface Fused {
  attrs: BatchNormTrainingAttrs;
  axis: number;
  weights: Record<"gamma" | "beta" | "moving_mean" | "moving_variance", LayerVariable>;
}

/** A BatchNormalization layer that trains with the native kernel where there is one (see the module comment). */
export class TrainingBatchNormalization extends tfjsLayerClass<BatchNormConstructor>("BatchNormalization") {
  private fused: Fused | null | undefined;

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Parameters<BatchNorm["call"]>[1]): tf.Tensor | tf.Tensor[] {
    const x = singleInput(inputs);
    const fused = x && kwargs.training === true ? this.fusedPath() : null;
    const usable =
      x &&
      fused &&
      x.dtype === "float32" &&
      x.rank >= 2 &&
      (fused.axis === -1 || fused.axis === x.rank - 1) &&
      tf.getKernel(BATCH_NORM_TRAINING_KERNEL, tf.getBackend());
    if (!usable) return super.call(inputs, kwargs);
    const w = fused.weights;
    return tf.tidy(() => {
      const [y, , , movingMean, movingVariance] = tf.engine().runKernel(
        BATCH_NORM_TRAINING_KERNEL,
        {
          x,
          gamma: w.gamma.read(),
          beta: w.beta.read(),
          movingMean: w.moving_mean.read(),
          movingVariance: w.moving_variance.read()
        },
        fused.attrs as unknown as tf.NamedAttrMap
      ) as tf.Tensor[];
      w.moving_mean.write(movingMean);
      w.moving_variance.write(movingVariance);
      return y;
    });
  }

  /** The kernel's attributes and the four weights, or null when the configuration is not covered. */
  private fusedPath(): Fused | null {
    if (this.fused !== undefined) return this.fused;
    const config = this.getConfig() as {
      axis?: number | number[];
      momentum?: number;
      epsilon?: number;
      center?: boolean;
      scale?: boolean;
    };
    const byName = new Map(this.weights.map((v) => [v.originalName.split("/").pop(), v]));
    const names = ["gamma", "beta", "moving_mean", "moving_variance"] as const;
    const ok =
      typeof config.axis === "number" &&
      config.center !== false &&
      config.scale !== false &&
      typeof config.momentum === "number" &&
      typeof config.epsilon === "number" &&
      names.every((n) => byName.has(n));
    this.fused = ok
      ? {
          attrs: {epsilon: config.epsilon as number, momentum: config.momentum as number},
          axis: config.axis as number,
          weights: Object.fromEntries(names.map((n) => [n, byName.get(n) as LayerVariable])) as Fused["weights"]
        }
      : null;
    return this.fused;
  }
}

tf.serialization.registerClass(TrainingBatchNormalization);

/** Same arguments as tf.layers.batchNormalization. */
export function trainingBatchNormalization(args?: BatchNormArgs): BatchNorm {
  return new TrainingBatchNormalization(args);
}
