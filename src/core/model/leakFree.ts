/** Building a model from untrusted files without leaking the weights of a half-built one. Isomorphic. */
import * as tf from "@tensorflow/tfjs";

/**
 * Runs `build` (which creates a model); if it throws, disposes the variables it had registered:
 * the weights of the layers built before the failure, which nothing else can reach. Not for use
 * while another model is being built concurrently.
 */
export async function disposeVariablesOnFailure<T>(build: () => Promise<T>): Promise<T> {
  const before = new Set(Object.keys(tf.engine().registeredVariables));
  try {
    return await build();
  } catch (error) {
    for (const [name, variable] of Object.entries(tf.engine().registeredVariables)) {
      if (!before.has(name)) variable.dispose();
    }
    throw error;
  }
}
