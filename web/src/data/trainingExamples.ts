/**
 * The training images an export ships (`training_examples.bin`, ../../../src/core/formats/trainingExamples.ts)
 * with their embeddings, ready for the nearest-example search. Fetched on first use: about 10 MB
 * that only the Classify view's "nearest training images" needs.
 */
import {FormatError} from "../../../src/core/errors.js";
import {exampleBank, type ExampleBank} from "../../../src/core/embed/nearestExamples.js";
import {mountedUrl} from "../../../src/core/formats/mounts.js";
import {parseTrainingExamples, TRAINING_EXAMPLES_FILE} from "../../../src/core/formats/trainingExamples.js";
import {DataError, fetchBytes, once} from "./fetchData.js";

const REEXPORT =
  "Exports made before training examples were shipped lack this file: re-run `fmnist export` (npm start does it when the export is missing).";

async function load(): Promise<ExampleBank> {
  const url = mountedUrl("projector", TRAINING_EXAMPLES_FILE);
  const bytes = await fetchBytes(url).catch((error: unknown) => {
    throw error instanceof DataError ? new DataError(error.message, REEXPORT) : error;
  });
  try {
    return exampleBank(parseTrainingExamples(bytes, TRAINING_EXAMPLES_FILE));
  } catch (error) {
    if (error instanceof FormatError) throw new DataError(error.message, REEXPORT);
    throw error;
  }
}

export const loadTrainingExamples = once(load);
