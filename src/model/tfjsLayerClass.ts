/** tfjs-layers' classes by serialisation name: the library does not export them, its registry is their public handle. */
import * as tf from "@tensorflow/tfjs";

type Entry = [tf.serialization.SerializableConstructor<tf.serialization.Serializable>, unknown];

/** The class registered as `className`; throws if there is none or it is not tfjs-layers' own. */
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
