/**
 * Runs the attribution lab (../../../../../src/core/viz/attribution/lab.ts) one method at a time,
 * handing the thread back to the page between methods (and between a map and its faithfulness
 * curves), so the view keeps answering clicks and newer inputs while the lab works. A run that a
 * newer one has replaced stops at its next break and reports nothing.
 */
import type * as tf from "@tensorflow/tfjs";

import type {ForwardPass} from "../../../../../src/core/model/forward.js";
import {
  randomPixelOrder,
  faithfulness,
  type Faithfulness
} from "../../../../../src/core/viz/attribution/faithfulness.js";
import {hasCompleteness, type Completeness} from "../../../../../src/core/viz/attribution/integratedGradients.js";
import {labSteps, mapFaithfulness, type LabEntry} from "../../../../../src/core/viz/attribution/lab.js";

export interface LabRun {
  classIndex: number;
  entries: LabEntry[];
  /** Integrated Gradients' check (every lab has it). */
  completeness?: Completeness;
  /** Deletion and insertion in a seeded random order: the score of a map that knows nothing. */
  random: Faithfulness;
  /** Time of the whole run, maps and curves, including the breaks, in ms. */
  totalMs: number;
}

export interface LabRunOptions {
  /** True once a newer run has started or the view is gone: the run stops at its next break. */
  isStale(): boolean;
  /** Called with each method's map and timing as soon as it is ready (`index` of `total` methods). */
  onEntry?(entry: LabEntry, index: number, total: number): void;
}

/** Lets the page handle input and paint before the next synchronous chunk of work. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Every method for `classIndex` on `input`; undefined when the run went stale. */
export async function runLab(
  model: tf.LayersModel,
  pass: ForwardPass,
  input: Float32Array,
  classIndex: number,
  options: LabRunOptions
): Promise<LabRun | undefined> {
  const started = performance.now();
  const steps = labSteps(model, pass, input, classIndex);
  const entries: LabEntry[] = [];
  let completeness: Completeness | undefined;
  for (const [index, step] of steps.entries()) {
    await nextTask();
    if (options.isStale()) return undefined;
    const t0 = performance.now();
    const attribution = step.run();
    const ms = performance.now() - t0;
    if (!attribution) continue;
    if (hasCompleteness(attribution)) completeness = attribution.completeness;
    await nextTask();
    if (options.isStale()) return undefined;
    const entry = {attribution, ms, faithfulness: mapFaithfulness(model, input, attribution)};
    entries.push(entry);
    options.onEntry?.(entry, index, steps.length);
  }
  await nextTask();
  if (options.isStale()) return undefined;
  const random = faithfulness(model, input, randomPixelOrder(), classIndex);
  return {classIndex, entries, completeness, random, totalMs: performance.now() - started};
}
