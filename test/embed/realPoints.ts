/**
 * The 64-d embeddings of the first test images under the shipped model (or FMNIST_TEST_MODEL), shared by
 * the tests that project, search or lay out real embeddings. Not a test file itself.
 */
import {existsSync} from "node:fs";
import {join} from "node:path";

import {normalise} from "../../src/core/data/dataset.js";
import type {Points} from "../../src/core/embed/points.js";
import {embedAll} from "../../src/core/model/embedding.js";
import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {DEFAULT_MODEL_DIR} from "../../src/node/model/defaultModel.js";
import {loadModel} from "../../src/node/model/io.js";

export const REAL_MODEL_DIR = process.env.FMNIST_TEST_MODEL ?? DEFAULT_MODEL_DIR;

/** Whether the model exists; warns (naming `testFile`) when it does not, since the caller then skips. */
export function haveRealModel(testFile: string): boolean {
  const have = existsSync(join(REAL_MODEL_DIR, "model.json"));
  if (!have) console.warn(`${testFile}: no model at ${REAL_MODEL_DIR}; skipped (set FMNIST_TEST_MODEL)`);
  return have;
}

/** The embeddings of the first `count` test images (on WASM) and their labels. */
export async function realEmbeddings(count: number): Promise<{points: Points; labels: Uint8Array}> {
  await selectBackend("wasm");
  const model = await loadModel(REAL_MODEL_DIR);
  const test = normalise(await loadFashionMnist("test", {limit: count}));
  const embedded = await embedAll(model, test);
  model.dispose();
  return {points: {data: embedded.embeddings, count, dim: embedded.dim}, labels: test.ys};
}
