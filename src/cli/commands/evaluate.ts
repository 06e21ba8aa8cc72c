/** `fmnist evaluate`: test-set loss, accuracy, per-class accuracy and confusion matrix. */
import type {Effects} from "../../core/effects.js";
import {selectBackend, type BackendName} from "../../node/backend/selectBackend.js";
import {normalise} from "../../core/data/dataset.js";
import {CLASS_NAMES} from "../../core/data/fashionMnist.js";
import {loadFashionMnist} from "../../node/data/loadFashionMnist.js";
import {DEFAULT_MODEL_DIR} from "../../node/model/defaultModel.js";
import {loadAnyModel} from "../../node/model/loadAnyModel.js";
import {confusionMatrix, perClassAccuracy, predictAll} from "../../core/model/metrics.js";

export interface EvaluateOptions {
  /** Model folder, model.json or Keras .h5 file (default: the shipped model). */
  model?: string;
  dataDir?: string;
  /** Check the dataset's SHA-256 (default true). */
  verify?: boolean;
  backend?: BackendName;
  /** Evaluate on the first N test images only. */
  limit?: number;
}

export interface Evaluation {
  model: string;
  count: number;
  accuracy: number;
  loss: number;
  perClassAccuracy: Record<string, number>;
  /** Counts; rows are true classes, columns predicted classes, in {@link CLASS_NAMES} order. */
  confusionMatrix: number[][];
  classNames: string[];
}

export async function evaluateCommand(options: EvaluateOptions, effects: Effects): Promise<Evaluation> {
  await selectBackend(options.backend);
  const modelDir = options.model ?? DEFAULT_MODEL_DIR;
  const {model} = await loadAnyModel(modelDir);
  const test = normalise(
    await loadFashionMnist("test", {dataDir: options.dataDir, limit: options.limit, verify: options.verify})
  );
  effects.progress.start("evaluating", test.count);
  const result = await predictAll(model, test, 500, (done) => effects.progress.update(done)).finally(() =>
    effects.progress.stop()
  );
  model.dispose();
  const matrix = confusionMatrix(test.ys, result.predicted);
  const perClass = perClassAccuracy(matrix);
  return {
    model: modelDir,
    count: test.count,
    accuracy: result.accuracy,
    loss: result.loss,
    perClassAccuracy: Object.fromEntries(CLASS_NAMES.map((c, i) => [c, perClass[i]])),
    confusionMatrix: matrix,
    classNames: [...CLASS_NAMES]
  };
}
