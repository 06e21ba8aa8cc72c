/** Replacing a kernel's registered gradient while keeping TF.js' own as the fallback. */
import * as tf from "@tensorflow/tfjs";

export type GradFunc = NonNullable<ReturnType<typeof tf.getGradient>>["gradFunc"];

/**
 * Registers `make(original)` as `kernelName`'s gradient (global, all backends) and returns TF.js'
 * original gradient function; throws if the kernel has none.
 */
export function replaceGradient(kernelName: string, make: (original: GradFunc) => GradFunc): GradFunc {
  const config = tf.getGradient(kernelName);
  if (!config) throw new Error(`${kernelName} has no gradient to replace`);
  const original = config.gradFunc;
  tf.registerGradient({...config, gradFunc: make(original)});
  return original;
}
