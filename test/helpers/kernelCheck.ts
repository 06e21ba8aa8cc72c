/** Shared by the kernel tests: running on a reference backend, and comparing arrays with a stated tolerance. */
import * as tf from "@tensorflow/tfjs";
import {expect} from "vitest";

/** Runs `fn` with `backend` active and returns to wasm; `fn` returns plain data and must not leak tensors. */
export async function onBackend<T>(backend: "wasm" | "cpu", fn: () => T): Promise<T> {
  await tf.setBackend(backend);
  try {
    const before = tf.memory().numTensors;
    const result = fn();
    expect(tf.memory().numTensors, `tensors leaked on ${backend}`).toBe(before);
    return result;
  } finally {
    await tf.setBackend("wasm");
  }
}

/**
 * max |actual - expected| <= tolerance * (1 + max |expected|); NaN fails, and so does an all-zero
 * reference (a comparison against nothing proves nothing).
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  label: string,
  tolerance = 1e-4
): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  let maxDiff = 0;
  let maxAbs = 0;
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    // NaN must fail, so compare with a negated <=.
    if (!(diff <= maxDiff)) maxDiff = Number.isNaN(diff) ? Infinity : diff;
    maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
  }
  expect(maxAbs, `${label}: reference is all zeros`).toBeGreaterThan(0);
  expect(maxDiff, `${label}: max abs diff (max abs value ${maxAbs})`).toBeLessThanOrEqual(tolerance * (1 + maxAbs));
}
