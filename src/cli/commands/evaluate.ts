/** `fmnist evaluate`: test-set loss, accuracy, per-class accuracy and confusion matrix. */
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

export async function evaluateCommand(options: EvaluateOptions = {}): Promise<Evaluation> {
  await selectBackend(options.backend);
  const modelDir = options.model ?? DEFAULT_MODEL_DIR;
  const {model} = await loadAnyModel(modelDir);
  const test = normalise(
    await loadFashionMnist("test", {dataDir: options.dataDir, limit: options.limit, verify: options.verify})
  );
  const result = await predictAll(model, test, 500);
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

/** Renders an evaluation as a human-readable table. */
export function formatEvaluation(e: Evaluation): string {
  const lines = [
    `model: ${e.model}`,
    `test images: ${e.count}   accuracy: ${(e.accuracy * 100).toFixed(2)}%   loss: ${e.loss.toFixed(4)}`,
    "",
    "per-class accuracy:"
  ];
  for (const [name, acc] of Object.entries(e.perClassAccuracy)) {
    lines.push(`  ${name.padEnd(12)} ${(acc * 100).toFixed(1).padStart(5)}%`);
  }
  lines.push("", "confusion matrix (rows: true class, columns: predicted):");
  const abbrev = e.classNames.map((n) => n.slice(0, 6));
  lines.push(" ".repeat(13) + abbrev.map((a) => a.padStart(7)).join(""));
  e.confusionMatrix.forEach((row, i) => {
    lines.push(e.classNames[i].padEnd(13) + row.map((v) => String(v).padStart(7)).join(""));
  });
  return lines.join("\n");
}
