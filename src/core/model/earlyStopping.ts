/**
 * Keras-semantics model selection on `val_loss`: `ModelCheckpoint(save_best_only=True)` and
 * `EarlyStopping(min_delta, patience, restore_best_weights=True)`, as plain state that can be
 * saved with a run and restored on `--resume`.
 */
export interface EarlyStoppingState {
  /** Lowest `val_loss` seen so far (Infinity before the first epoch). */
  best: number;
  /** 1-based epoch that produced `best` (0 if none yet). */
  bestEpoch: number;
  /** Reference loss of early stopping: only moves on an improvement of more than `minDelta`. */
  reference: number;
  /** Epochs since the last improvement of more than `minDelta`. */
  wait: number;
}

export interface EarlyStoppingOptions {
  /** Minimum decrease of `val_loss` that counts as an improvement for early stopping (default 0.01). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 3). */
  patience?: number;
}

export function initialEarlyStopping(): EarlyStoppingState {
  return {best: Infinity, bestEpoch: 0, reference: Infinity, wait: 0};
}

/**
 * Updates the state after `epoch` with `valLoss`. `checkpoint` is true when the loss is a new
 * minimum (Keras' checkpoint saves on any decrease); `stop` when patience has run out (Keras'
 * early stopping needs a decrease of more than `minDelta` to reset its counter).
 */
export function updateEarlyStopping(
  state: EarlyStoppingState,
  epoch: number,
  valLoss: number,
  options: EarlyStoppingOptions = {}
): {state: EarlyStoppingState; checkpoint: boolean; stop: boolean} {
  const minDelta = options.minDelta ?? 0.01;
  const patience = options.patience ?? 3;
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
  return {state: next, checkpoint, stop: wait >= patience};
}
