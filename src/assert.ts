/** Throws `new Error(message())` when `condition` is false; the message is built lazily. */
export function assert(condition: unknown, message: () => string): asserts condition {
  if (!condition) throw new Error(message());
}
