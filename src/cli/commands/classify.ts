/** `fmnist classify`: classify photos and, with plots, show how the network saw them. */
import {join} from "node:path";

import * as tf from "@tensorflow/tfjs";
import {glob} from "tinyglobby";

import type {Effects} from "../../core/effects.js";
import {selectBackend, type BackendName} from "../../node/backend/selectBackend.js";
import {CLASS_NAMES} from "../../core/data/fashionMnist.js";
import {UserError, UsageError} from "../../core/errors.js";
import {plotFolderName, writeClassifyPlots} from "../../node/pictures/classifyPlots.js";
import {decodeImageFile} from "../../node/image/decode.js";
import {preprocess, type PreprocessName} from "../../core/image/preprocess.js";
import {DEFAULT_MODEL_DIR} from "../../node/model/defaultModel.js";
import {loadAnyModel} from "../../node/model/loadAnyModel.js";
import {forward} from "../../core/model/forward.js";
import {readOodStats} from "../../node/model/oodStatsFile.js";
import {classifierOf, judgeInput} from "../../core/model/ttaPrediction.js";
import {cam, gradCam} from "../../core/viz/cam.js";
import type {ClassifyPlotInput} from "../../node/pictures/report.js";
import {counterfactualTarget, explainImage} from "./classifyLab.js";

export interface ClassifyOptions {
  /** Image files or glob patterns. */
  images: string[];
  /** Model folder, model.json or Keras .h5 (default: the shipped model). */
  model?: string;
  savePlots?: boolean;
  /** Folder for plots (default `visualisations`); one sub-folder per image when there are several. */
  plotDir?: string;
  preprocess?: PreprocessName;
  /** Number of classes to report (default 1). */
  top?: number;
  /** Layer for Grad-CAM (default: the last convolution). */
  camLayer?: string;
  /** Class explained by CAM / Grad-CAM (default: the predicted class). */
  camClass?: string;
  /** Average the prediction with the mirror image's (default true). */
  tta?: boolean;
  /** Class a counterfactual should reach (writes counterfactual.png with the plots). */
  counterfactual?: string;
  /** L∞ budget of the counterfactual (default 0.1). */
  epsilon?: number;
  backend?: BackendName;
}

export interface ClassifyResult {
  file: string;
  label: string;
  score: number;
  top: {label: string; score: number}[];
  probabilities: Record<string, number>;
  /** Flagged as not like a Fashion-MNIST garment (false when the model has no statistics: see `oodChecked`). */
  ood: boolean;
  oodChecked: boolean;
  /** The numbers behind the flag, for a details line. */
  oodReason?: string;
  /** Whether the probabilities are the mean of the image's and its mirror image's. */
  tta: boolean;
  plotDir?: string;
  /** With --counterfactual: the class the changed image is predicted as, and whether it is the target. */
  counterfactual?: {target: string; label: string; score: number; reached: boolean};
}

/** The command's effects, and where each image's result or failure goes as soon as it is known. */
export interface ClassifyEffects extends Effects {
  onResult(result: ClassifyResult): void;
  onError(file: string, error: UserError): void;
}

async function expand(patterns: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of patterns) {
    if (/[*?[\]{}]/.test(p)) {
      const matches = (await glob(p, {onlyFiles: true, expandDirectories: false})).sort();
      if (matches.length === 0) throw new UserError(`no file matches ${p}`);
      files.push(...matches);
    } else files.push(p);
  }
  return files;
}

/** Classifies each image; per-image failures are reported through `effects.onError` and do not stop the others. */
export async function classifyCommand(
  options: ClassifyOptions,
  effects: ClassifyEffects
): Promise<{ok: number; failed: number}> {
  if (options.images.length === 0) throw new UsageError("classify needs at least one image file");
  const files = await expand(options.images);
  await selectBackend(options.backend);
  const {model, metadata} = await loadAnyModel(options.model ?? DEFAULT_MODEL_DIR);
  const classifier = classifierOf(model);
  const classNames = (metadata?.classNames as string[] | undefined) ?? [...CLASS_NAMES];
  let camClass: number | undefined;
  if (options.camClass !== undefined) {
    const wanted = options.camClass.toLowerCase();
    camClass = classNames.findIndex((c) => c.toLowerCase() === wanted);
    if (camClass < 0)
      throw new UsageError(`--cam-class must be one of: ${classNames.join(", ")}; got "${options.camClass}"`);
  }
  if (options.camLayer !== undefined && !model.layers.some((l) => l.name === options.camLayer)) {
    throw new UsageError(
      `--cam-layer: no layer "${options.camLayer}"; layers: ${model.layers.map((l) => l.name).join(", ")}`
    );
  }
  const modelPath = options.model ?? DEFAULT_MODEL_DIR;
  const stats = await readOodStats(modelPath);
  if (!stats) {
    effects.log.warn(
      `${modelPath} has no out-of-distribution statistics, so images unlike Fashion-MNIST are not flagged; make them with \`fmnist calibrate --model ${modelPath}\``
    );
  }
  const tta = options.tta ?? true;
  const target =
    options.counterfactual === undefined ? undefined : counterfactualTarget(classNames, options.counterfactual);
  const plotRoot = options.plotDir ?? "visualisations";
  const usedDirs = new Set<string>();
  let ok = 0;
  let failed = 0;
  for (const file of files) {
    try {
      const rgb = await decodeImageFile(file);
      const pre = preprocess(rgb, options.preprocess ?? "fashion");
      const pass = forward(model, pre.input); // CAM and feature maps: the image as given
      const judged = await judgeInput(classifier, pre.input, pass, {tta, stats: stats ?? undefined});
      const probs = judged.probabilities;
      const order = Array.from(probs.keys()).sort((a, b) => probs[b] - probs[a]);
      const predicted = order[0];
      const flag = judged.verdict;
      const result: ClassifyResult = {
        file,
        label: classNames[predicted],
        score: probs[predicted],
        top: order.slice(0, options.top ?? 1).map((i) => ({label: classNames[i], score: probs[i]})),
        probabilities: Object.fromEntries(classNames.map((c, i) => [c, probs[i]])),
        ood: flag?.ood ?? false,
        oodChecked: flag !== undefined,
        ...(flag ? {oodReason: flag.details} : {}),
        tta
      };
      if (options.savePlots) {
        let dir = plotRoot;
        if (files.length > 1) dir = join(plotRoot, plotFolderName(file, usedDirs));
        const explained = camClass ?? predicted;
        let camMap;
        try {
          camMap = cam(model, pass, explained);
        } catch {
          camMap = undefined; // the model has no GAP + dense head; Grad-CAM still works
        }
        const plotInput: ClassifyPlotInput = {
          file,
          classNames,
          probabilities: probs,
          predicted,
          ood: flag?.ood ?? false,
          oodReason: flag?.details,
          steps: pre.steps,
          inputRaster: pre.inputRaster,
          layers: pass.layers,
          cam: camMap,
          gradCam: gradCam(model, pass, explained, options.camLayer),
          lab: explainImage(model, pass, pre.input, classNames, {
            classIndex: explained,
            layer: options.camLayer,
            target,
            epsilon: options.epsilon
          })
        };
        await writeClassifyPlots(dir, plotInput);
        result.plotDir = dir;
        const cf = plotInput.lab?.counterfactual?.result;
        if (cf) {
          result.counterfactual = {
            target: classNames[cf.target],
            label: classNames[cf.predicted],
            score: cf.probabilities[cf.predicted],
            reached: cf.reached
          };
        }
      }
      effects.onResult(result);
      ok++;
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      effects.onError(file, error);
      failed++;
    }
  }
  model.dispose();
  tf.disposeVariables();
  return {ok, failed};
}
