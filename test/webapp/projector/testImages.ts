/**
 * The first test images of Fashion-MNIST as vectors with their labels, for the projector's maths:
 * 2×2-averaged to 14×14 (196 values in [0, 1]) so that a PCA of them takes milliseconds.
 */
import {readFileSync} from "node:fs";
import {gunzipSync} from "node:zlib";

import {parseIdx} from "../../../src/core/data/idx.js";

const DIR = "/usr/share/datasets/fashion-mnist";

export function firstTestImages(count: number): {vectors: Float32Array; labels: Uint8Array; dim: number} {
  const images = parseIdx(gunzipSync(readFileSync(`${DIR}/t10k-images-idx3-ubyte.gz`))).data;
  const labels = parseIdx(gunzipSync(readFileSync(`${DIR}/t10k-labels-idx1-ubyte.gz`))).data;
  const dim = 196;
  const vectors = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) {
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        vectors[i * dim + (y >> 1) * 14 + (x >> 1)] += images[i * 784 + y * 28 + x] / (255 * 4);
      }
    }
  }
  return {vectors, labels: labels.slice(0, count), dim};
}
