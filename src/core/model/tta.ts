/**
 * Test-time augmentation by mirroring: Fashion-MNIST's shoes and bags all face one way, photos do
 * not, so the prediction is the mean of the softmax of the image and of its horizontal mirror.
 * Explanations (CAM, feature maps) stay those of the image as given. Isomorphic.
 */
import {IMAGE_SIZE} from "../data/fashionMnist.js";

/** Every `size`×`size` image in `xs` mirrored left to right. */
export function mirrorImages(xs: Float32Array, size = IMAGE_SIZE): Float32Array {
  const out = new Float32Array(xs.length);
  for (let row = 0; row < xs.length / size; row++) {
    const start = row * size;
    for (let x = 0; x < size; x++) out[start + x] = xs[start + size - 1 - x];
  }
  return out;
}

/** Element-wise mean of two probability vectors (or row-major batches of them). */
export function meanProbabilities(a: Float32Array, b: Float32Array): Float32Array {
  return a.map((v, i) => (v + b[i]) / 2);
}
