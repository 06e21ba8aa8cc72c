/** projections.json contents for the projector's tests. Not a test file itself. */
import {PROJECTIONS_FORMAT, type ProjectionsFile} from "../../../src/core/formats/projections.js";

/**
 * `projections` for `count` points under the header `fmnist export` writes for the shipped model:
 * its 64-D pooling layer, the test split from the start, seed 42, 10-NN accuracy 90.7 % in 64-D.
 */
export function projectionsFile(count: number, projections: ProjectionsFile["projections"]): ProjectionsFile {
  return {
    format: PROJECTIONS_FORMAT,
    count,
    seed: 42,
    source: {layer: "global_average_pooling2d", dim: 64, split: "test", firstIndex: 0},
    quality: {k: 10, referenceKnnAccuracy: 0.907},
    projections
  };
}
