/**
 * Loads a Keras 2 HDF5 model file (`model.save("model.h5")`) with h5wasm's Node build; the import
 * itself (architecture, supported layers, weights) is ../../core/model/kerasImport.ts, which the
 * web app runs on a dropped file too.
 */
import fs from "node:fs";
import {open} from "node:fs/promises";

import type * as tf from "@tensorflow/tfjs";
import h5wasm from "h5wasm/node";

import {FormatError} from "../../core/errors.js";
import {hasHdf5Signature, modelFromKerasH5, notHdf5Error} from "../../core/model/kerasImport.js";

/** True when the file starts with the HDF5 signature (Keras .h5 files keep the superblock at offset 0). */
export async function isHdf5File(path: string): Promise<boolean> {
  const handle = await open(path, "r").catch(() => undefined);
  if (!handle) return false;
  try {
    const {buffer, bytesRead} = await handle.read(Buffer.alloc(8), 0, 8, 0);
    return bytesRead === 8 && hasHdf5Signature(buffer);
  } finally {
    await handle.close();
  }
}

/**
 * Runs `fn` with the HDF5 C library's error stack kept off stderr. h5wasm's Node build maps the C
 * library's stderr straight to file descriptor 2 with `fs.writeSync` (Emscripten NODERAWFS), so
 * patching `process.stderr.write` is not enough. Returns the result and the text the library wrote.
 */
function quietly<T>(fn: () => T): {result: T; diagnostics: string} {
  const write = process.stderr.write;
  const writeSync = fs.writeSync;
  let diagnostics = "";
  process.stderr.write = (() => true) as typeof process.stderr.write;
  fs.writeSync = ((fd: number, buffer: Uint8Array | string, ...rest: unknown[]): number => {
    if (fd !== 2) return (writeSync as (...args: unknown[]) => number)(fd, buffer, ...rest);
    if (typeof buffer === "string") {
      diagnostics += buffer;
      return Buffer.byteLength(buffer);
    }
    const offset = typeof rest[0] === "number" ? rest[0] : 0;
    const length = typeof rest[1] === "number" ? rest[1] : buffer.byteLength - offset;
    diagnostics += Buffer.from(buffer.buffer, buffer.byteOffset + offset, length).toString("utf8");
    return length;
  }) as typeof fs.writeSync;
  try {
    return {result: fn(), diagnostics};
  } finally {
    process.stderr.write = write;
    fs.writeSync = writeSync;
  }
}

/** The most specific message of an HDF5 error stack ("truncated file: eof = ..."), or "". */
function hdf5Reason(diagnostics: string): string {
  const frames = diagnostics.match(/#\d+:.*? in [\w.]+\(\): (.*)/g) ?? [];
  const last = frames.at(-1);
  return last ? last.replace(/^#\d+:.*? in [\w.]+\(\): /, "").trim() : "";
}

/** Loads a Keras .h5 model as a TF.js LayersModel; throws a one-line error naming the file on any problem. */
export async function loadKerasH5(path: string): Promise<tf.LayersModel> {
  if (!(await isHdf5File(path))) {
    throw notHdf5Error(path);
  }
  await h5wasm.ready;
  let opened: {result: InstanceType<typeof h5wasm.File>; diagnostics: string};
  try {
    opened = quietly(() => new h5wasm.File(path, "r"));
  } catch (error) {
    throw new FormatError(`${path}: cannot open HDF5 file (${(error as Error).message.split("\n")[0]})`);
  }
  // h5wasm does not throw when H5Fopen fails (a truncated or damaged file): it returns a negative id.
  if (opened.result.file_id < 0n) {
    const reason = hdf5Reason(opened.diagnostics) || "damaged or truncated";
    throw new FormatError(`${path}: cannot open HDF5 file (${reason})`);
  }
  const file = opened.result;
  try {
    return await modelFromKerasH5(h5wasm, file, path, (fn) => quietly(fn).result);
  } finally {
    quietly(() => file.close());
  }
}
