/** The tensor-leak check: code under test must leave `tf.memory().numTensors` where it found it. */
import * as tf from "@tensorflow/tfjs";
import {expect} from "vitest";

/** Runs `fn` (sync or async) and expects no tensor left behind, even when it throws; returns its result. */
export function withoutLeak<T>(fn: () => T, what = "tensors leaked"): T {
  const before = tf.memory().numTensors;
  const check = () => expect(tf.memory().numTensors, what).toBe(before);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    check();
    throw error;
  }
  if (result instanceof Promise) return result.finally(check) as T;
  check();
  return result;
}
