/**
 * The training defaults, in one place: the training loop (./train.ts) falls back to them, the
 * `train` command records them in a run's config.json, and `fmnist train --help` prints them.
 * They follow the seed project (Keras' Adam, batch 128, early stopping on val_loss).
 */
export const TRAIN_DEFAULTS = {
  epochs: 30,
  batchSize: 128,
  learningRate: 0.001,
  seed: 42,
  augment: false,
  patience: 3,
  minDelta: 0.01
} as const;
