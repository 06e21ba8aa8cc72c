/** Real files the tests use: the repository root, the shipped model, the seed's Keras model and the sample photos. */
import {fileURLToPath} from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The original project's Keras model (../shared/keras/seed-model.h5, read-only). */
export const SEED_MODEL = fileURLToPath(new URL("../../../shared/keras/seed-model.h5", import.meta.url));
/** The shipped TF.js model. */
export const SHIPPED_MODEL = fileURLToPath(new URL("../../models/fashion-cnn", import.meta.url));
export const SAMPLE_IMAGES = fileURLToPath(new URL("../../sample_images", import.meta.url));
