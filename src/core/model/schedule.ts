/**
 * The learning-rate schedule, as a pure function of the step: a linear warm-up from 0 to the peak
 * over the first `warmupEpochs`, then a half-cosine down to 0 at the end of the last epoch
 * (Loshchilov & Hutter, "SGDR", 2017, without restarts). "constant" keeps the peak throughout (the
 * seed's Keras default). Pure, so a resumed run gets the same rate at the same step.
 */
export type ScheduleName = "cosine" | "constant";

export interface ScheduleOptions {
  schedule: ScheduleName;
  /** The highest rate (Adam's learning rate). */
  peak: number;
  epochs: number;
  warmupEpochs: number;
  stepsPerEpoch: number;
}

/** The rate for the 0-based `step` (counted over the whole run). */
export function learningRateAt(step: number, o: ScheduleOptions): number {
  if (o.schedule === "constant") return o.peak;
  const total = Math.max(1, o.epochs * o.stepsPerEpoch);
  const warmup = Math.min(total - 1, Math.max(0, Math.round(o.warmupEpochs * o.stepsPerEpoch)));
  // Step s trains with the rate at the middle of its interval, so neither end of the run gets exactly 0.
  const t = step + 0.5;
  if (t < warmup) return (o.peak * t) / warmup;
  const progress = Math.min(1, (t - warmup) / (total - warmup));
  return 0.5 * o.peak * (1 + Math.cos(Math.PI * progress));
}
