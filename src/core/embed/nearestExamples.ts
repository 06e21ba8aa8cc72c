/**
 * The training images nearest to an input in the model's embedding space, by cosine distance (the
 * embeddings are L2-normalised once, as for the kNN out-of-distribution score). A brute-force scan:
 * 10,000 × 64 multiply-adds take well under a millisecond, so no index is worth its build time.
 * Isomorphic (the web app's Classify view and the tests).
 */
import type {TrainingExamples} from "../formats/trainingExamples.js";
import {l2Normalise} from "../model/oodScores.js";

/** Training examples ready to search: embeddings scaled to unit length. */
export interface ExampleBank {
  examples: TrainingExamples;
  unit: Float32Array;
}

export interface NearExample {
  /** Row in the bank (training image `examples.first + row`). */
  row: number;
  label: number;
  /** 1 − cosine similarity: 0 for the same direction, up to 2. */
  distance: number;
}

export function exampleBank(examples: TrainingExamples): ExampleBank {
  return {examples, unit: l2Normalise(examples.embeddings, examples.dims)};
}

/**
 * The `k` rows nearest to `embedding`, nearest first (ties by row); `label`, when given, keeps only
 * the examples of that class (e.g. the training images of a wrong prediction's class, which pull
 * the input toward it).
 */
export function nearestExamples(bank: ExampleBank, embedding: Float32Array, k: number, label?: number): NearExample[] {
  const {dims, count, labels} = bank.examples;
  if (embedding.length !== dims) {
    throw new RangeError(`an embedding of ${embedding.length} values; the training examples have ${dims}`);
  }
  const query = l2Normalise(embedding, dims);
  const found: NearExample[] = [];
  for (let row = 0; row < count; row++) {
    if (label !== undefined && labels[row] !== label) continue;
    let dot = 0;
    for (let d = 0, at = row * dims; d < dims; d++) dot += query[d] * bank.unit[at + d];
    const distance = 1 - dot;
    if (found.length === k && distance >= found[k - 1].distance) continue;
    // Insertion into the short sorted list (k is small).
    let i = Math.min(found.length, k - 1);
    while (i > 0 && found[i - 1].distance > distance) i--;
    found.splice(i, 0, {row, label: labels[row], distance});
    if (found.length > k) found.pop();
  }
  return found;
}
