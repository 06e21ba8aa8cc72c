/**
 * TF.js' Dropout layer with masks that can come from a seed, so that a training run is
 * reproducible and a resumed run continues exactly as an uninterrupted one.
 *
 * tfjs-layers draws each mask from an unseeded generator (or, given a `seed`, the same mask on
 * every call). Inside {@link withDropoutSeed}, each training call of this layer draws its mask
 * from `key:0`, `key:1`, ... in call order; the training loop (./train.ts) passes a key made of the
 * run's seed, the epoch and the batch. Outside such a scope, for inference, and for noise shapes,
 * it is the TF.js layer unchanged. Registered under the class name Dropout, so models loaded from
 * JSON (resumed training) use it; configuration and saved files are TF.js'.
 */
import * as tf from "@tensorflow/tfjs";

import {singleInput, tfjsLayerClass, type LayerClass} from "./tfjsLayerClass.js";

type Dropout = ReturnType<typeof tf.layers.dropout>;
type DropoutArgs = Parameters<typeof tf.layers.dropout>[0];
type DropoutConstructor = LayerClass<Dropout, DropoutArgs>;

let scope: {key: string; calls: number} | null = null;

/** Runs `fn` with dropout masks drawn from `key` (see the module comment); scopes nest. */
export function withDropoutSeed<T>(key: string, fn: () => T): T {
  const outer = scope;
  scope = {key, calls: 0};
  try {
    return fn();
  } finally {
    scope = outer;
  }
}

/** A Dropout layer whose training masks follow {@link withDropoutSeed}. */
export class SeededDropout extends tfjsLayerClass<DropoutConstructor>("Dropout") {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Parameters<Dropout["call"]>[1]): tf.Tensor | tf.Tensor[] {
    const x = singleInput(inputs);
    const {rate, noiseShape} = this.getConfig() as {rate: number; noiseShape?: unknown};
    if (!scope || !x || kwargs.training !== true || noiseShape != null || !(rate > 0 && rate < 1)) {
      return super.call(inputs, kwargs);
    }
    const seed = `${scope.key}:${scope.calls++}`;
    return tf.tidy(() => tf.dropout(x, rate, undefined, seed));
  }
}

tf.serialization.registerClass(SeededDropout);

/** Same arguments as tf.layers.dropout. */
export function seededDropout(args: DropoutArgs): Dropout {
  return new SeededDropout(args);
}
