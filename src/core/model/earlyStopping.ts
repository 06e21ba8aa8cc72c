/**
 * Keras-semantics model selection on a monitored metric (`val_accuracy` by default, or `val_loss`):
 * `ModelCheckpoint(save_best_only=True)` and `EarlyStopping(min_delta, patience,
 * restore_best_weights=True)`, as plain state that can be saved with a run and restored on `--resume`.
 */
export type Monitor = "val_accuracy" | "val_loss";
export interface EarlyStoppingState {
  /** Best score so far, lower is better: `val_loss`, or minus `val_accuracy` (Infinity before the first epoch). */
  best: number;
  /** 1-based epoch that produced `best` (0 if none yet). */
  bestEpoch: number;
  /** Reference loss of early stopping: only moves on an improvement of more than `minDelta`. */
  reference: number;
  /** Epochs since the last improvement of more than `minDelta`. */
  wait: number;
}

export interface EarlyStoppingOptions {
  /** What is monitored (default val_accuracy). */
  monitor?: Monitor;
  /** Minimum improvement of the monitored metric that resets early stopping's counter (default 0.01). */
  minDelta?: number;
  /** Epochs without improvement before stopping; 0 (the default) never stops early. */
  patience?: number;
}

export function initialEarlyStopping(): EarlyStoppingState {
  return {best: Infinity, bestEpoch: 0, reference: Infinity, wait: 0};
}

/**
 * Updates the state after `epoch` with its validation metrics. `checkpoint` is true when the
 * monitored metric is a new best (Keras' checkpoint saves on any improvement); `stop` when patience
 * has run out (Keras' early stopping needs an improvement of more than `minDelta` to reset its counter).
 */
export function updateEarlyStopping(
  state: EarlyStoppingState,
  epoch: number,
  metrics: {valLoss: number; valAccuracy: number},
  options: EarlyStoppingOptions = {}
): {state: EarlyStoppingState; checkpoint: boolean; stop: boolean} {
  const minDelta = options.minDelta ?? 0.01;
  const patience = options.patience ?? 0;
  const valLoss = (options.monitor ?? "val_accuracy") === "val_loss" ? metrics.valLoss : -metrics.valAccuracy;
  const checkpoint = valLoss < state.best;
  // Keras (mode "min"): `monitor_op(current - (-min_delta), best)`, i.e. current + minDelta < best.
  const improvedEnough = valLoss + minDelta < state.reference;
  const next: EarlyStoppingState = {
    best: checkpoint ? valLoss : state.best,
    bestEpoch: checkpoint ? epoch : state.bestEpoch,
    reference: improvedEnough ? valLoss : state.reference,
    wait: improvedEnough ? 0 : state.wait + 1
  };
  const wait = next.wait;
  return {state: next, checkpoint, stop: patience > 0 && wait >= patience};
}
