/**
 * The out-of-distribution rule classify and the web app apply: the score `fmnist calibrate` chose
 * (./oodScores.ts; the statistics file: ../formats/oodStats.ts) above its calibrated threshold
 * means "this does not look like a Fashion-MNIST garment". With test-time augmentation the score
 * is the smaller of the image's and its mirror image's: a right-facing shoe is familiar if its
 * mirror is. The flag never changes the predicted class. Isomorphic.
 */
import type {OodMethod, OodStats} from "../formats/oodStats.js";
import {oodScores, type FeatureSet} from "./oodScores.js";

/** What the user reads first when an input is flagged. */
export const NOT_A_GARMENT = "this does not look like a Fashion-MNIST garment";

export interface OodVerdict {
  ood: boolean;
  method: OodMethod;
  score: number;
  threshold: number;
  /** The numbers, for a details line: e.g. `kNN distance 0.52 > 0.31 (threshold at 5.0 % false alarms)`. */
  details: string;
}

const SCORE_NAMES: Record<OodMethod, string> = {
  knn: "kNN distance",
  mahalanobis: "Mahalanobis distance²",
  energy: "energy",
  maxLogit: "negative max logit",
  maxSoftmax: "negative max probability",
  centroid: "centroid-rule ratio"
};

/** Judges one input from the features of its views (the image, then its mirror when TTA is on). */
export function judgeOod(stats: OodStats, views: FeatureSet): OodVerdict {
  const scores = oodScores(stats, stats.method, views);
  const score = Math.min(...scores);
  const ood = score > stats.threshold;
  const fa = `threshold at ${(stats.falseAlarmRate * 100).toFixed(1)} % false alarms on the test set`;
  return {
    ood,
    method: stats.method,
    score,
    threshold: stats.threshold,
    details: `${SCORE_NAMES[stats.method]} ${score.toFixed(3)} ${ood ? ">" : "≤"} ${stats.threshold.toFixed(3)} (${fa})`
  };
}
