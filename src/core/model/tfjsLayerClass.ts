/** Helpers for this project's subclasses of tfjs-layers' layers (whose classes the library does not export). */
import * as tf from "@tensorflow/tfjs";

type Entry = [tf.serialization.SerializableConstructor<tf.serialization.Serializable>, unknown];

/**
 * The class registered as `className` (the registry is the classes' one public handle); throws if
 * there is none or it is not tfjs-layers' own.
 */
export function tfjsLayerClass<T>(className: string): T {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className] as unknown as Entry | undefined;
  const cls = entry?.[0];
  // A subclass of ours registered under the same name would have a base with that name too.
  const base = cls && (Object.getPrototypeOf(cls) as {className?: string});
  if (!cls || cls.className !== className || base?.className === className) {
    throw new Error(`tfjs-layers registers no ${className} class of its own`);
  }
  return cls as unknown as T;
}

/** A tfjs-layers layer class: constructed from its arguments, and serialisable. */
export type LayerClass<Layer extends tf.serialization.Serializable, Args> = (new (args: Args) => Layer) &
  tf.serialization.SerializableConstructor<Layer>;

/** The one tensor of a layer's inputs (a tensor or a one-element list), else undefined. */
export function singleInput(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor | undefined {
  return Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0] : undefined) : inputs;
}
