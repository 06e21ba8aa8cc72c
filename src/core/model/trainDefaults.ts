/**
 * The training defaults, in one place: the training loop (./train.ts) falls back to them, the
 * `train` command records them in a run's config.json, and `fmnist train --help` prints them.
 * The seed's architecture and Adam at batch 128, with the recipe measured in docs/training.md:
 * flips and ±2 px shifts, a 1-epoch warm-up to 0.002 then a cosine decay over all 30 epochs,
 * precise batch-norm statistics after every epoch, and the checkpoint with the best val_accuracy.
 * Early stopping is off (patience 0): a cosine schedule only reaches its low rates at the end.
 */
export const TRAIN_DEFAULTS = {
  epochs: 30,
  batchSize: 128,
  learningRate: 0.002,
  schedule: "cosine",
  warmupEpochs: 1,
  seed: 42,
  augment: true,
  erase: 0,
  labelSmoothing: 0,
  preciseBatchNorm: 4096,
  monitor: "val_accuracy",
  patience: 0,
  minDelta: 0.01
} as const;
