/**
 * A child process for the concurrent-save tests: `node --import tsx test/helpers/saveLoop.ts DIR
 * COUNT SEED` loads the shipped model, adds seeded noise to its weights (so each writer's model is
 * its own), and saves it COUNT times into DIR, printing `saved N` after each. Not a test file itself.
 */
import * as tf from "@tensorflow/tfjs";

import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {DEFAULT_MODEL_DIR} from "../../src/node/model/defaultModel.js";
import {loadModel, saveModel} from "../../src/node/model/io.js";

const [dir, count, seed] = process.argv.slice(2);
await selectBackend("cpu");
const model = await loadModel(DEFAULT_MODEL_DIR);
const noisy = model
  .getWeights()
  .map((w, i) => tf.add(w, tf.randomUniform(w.shape, 0, 0.01, "float32", Number(seed) + i)));
model.setWeights(noisy);
for (let i = 1; i <= Number(count); i++) {
  await saveModel(model, dir);
  process.stdout.write(`saved ${i}\n`);
}
