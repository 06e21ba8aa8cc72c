/** Awaits a promise that must reject with an error of `type`, and returns that error for more checks. */
import {expect} from "vitest";

export async function rejection<T extends Error>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => T
): Promise<T> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  );
  expect(error).toBeInstanceOf(type);
  return error as T;
}
