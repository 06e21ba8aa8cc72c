/**
 * Measuring an OOD score, the one protocol of `fmnist calibrate` and bench/ood.ts: the threshold
 * flags 5 % of the test images with an even index; the false-alarm rate is measured on those with
 * an odd index (so it is a measurement, not the target restated); the detection rate is the share
 * of the OOD benchmark above the threshold; AUROC compares the OOD benchmark with all test images.
 * With `mirror`, every score is the smaller of the image's and its mirror image's. Isomorphic.
 */
import type {OodMethod} from "../formats/oodStats.js";
import {auroc, flaggedRate, minOfViews, thresholdAt} from "./oodMetrics.js";
import {oodScores, type FeatureSet, type FittedStats} from "./oodScores.js";

/** Features of the inputs as given and, for test-time augmentation, of their mirror images. */
export interface Views {
  given: FeatureSet;
  mirrored?: FeatureSet;
}

export interface MethodResult {
  method: OodMethod;
  threshold: number;
  falseAlarmRate: number;
  auroc: number;
  detection: number;
  /** Detection rate per OOD group. */
  groups: Record<string, number>;
}

/** The default share of test images a threshold flags. */
export const TARGET_FALSE_ALARMS = 0.05;

function scoresOf(stats: FittedStats, method: OodMethod, views: Views): Float64Array {
  const given = oodScores(stats, method, views.given);
  return views.mirrored ? minOfViews(given, oodScores(stats, method, views.mirrored)) : given;
}

/** Measures `method` on the test set and the named OOD groups. */
export function evaluateMethod(
  stats: FittedStats,
  method: OodMethod,
  test: Views,
  groups: {name: string; views: Views}[],
  rate = TARGET_FALSE_ALARMS
): MethodResult {
  const inScores = scoresOf(stats, method, test);
  const even = inScores.filter((_, i) => i % 2 === 0);
  const odd = inScores.filter((_, i) => i % 2 === 1);
  const threshold = thresholdAt(even, rate);
  const perGroup = groups.map((g) => ({name: g.name, scores: scoresOf(stats, method, g.views)}));
  const outScores = perGroup.flatMap((g) => Array.from(g.scores));
  return {
    method,
    threshold,
    falseAlarmRate: flaggedRate(odd, threshold),
    auroc: auroc(inScores, outScores),
    detection: flaggedRate(outScores, threshold),
    groups: Object.fromEntries(perGroup.map((g) => [g.name, flaggedRate(g.scores, threshold)]))
  };
}
