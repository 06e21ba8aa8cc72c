import {describe, expect, it} from "vitest";

import {
  initialEarlyStopping,
  updateEarlyStopping,
  type EarlyStoppingOptions,
  type EarlyStoppingState
} from "../../src/core/model/earlyStopping.js";

interface Epoch {
  checkpoint: boolean;
  stop: boolean;
  bestEpoch: number;
  wait: number;
}

/** Keras' settings for these sequences: monitor val_loss, patience 3 (ours defaults to val_accuracy, no early stop). */
const KERAS: EarlyStoppingOptions = {monitor: "val_loss", patience: 3};

/** Metrics of an epoch with this val_loss. */
const loss = (valLoss: number) => ({valLoss, valAccuracy: Number.NaN});

/** Feeds `losses` (epochs 1, 2, ...) through updateEarlyStopping and records each epoch's outcome. */
function run(losses: number[], options?: EarlyStoppingOptions): {epochs: Epoch[]; state: EarlyStoppingState} {
  let state = initialEarlyStopping();
  const epochs = losses.map((l, i) => {
    const r = updateEarlyStopping(state, i + 1, loss(l), {...KERAS, ...options});
    state = r.state;
    return {checkpoint: r.checkpoint, stop: r.stop, bestEpoch: r.state.bestEpoch, wait: r.state.wait};
  });
  return {epochs, state};
}

/** Hand-computed with Keras' rules (mode "min"): checkpoint iff loss < best; counter reset iff loss + minDelta < reference. */
const SEQUENCES: {title: string; losses: number[]; options?: EarlyStoppingOptions; expected: Epoch[]}[] = [
  {
    title: "large decreases: checkpoint every epoch, never stop",
    losses: [1.0, 0.8, 0.6, 0.45],
    expected: [
      {checkpoint: true, stop: false, bestEpoch: 1, wait: 0},
      {checkpoint: true, stop: false, bestEpoch: 2, wait: 0},
      {checkpoint: true, stop: false, bestEpoch: 3, wait: 0},
      {checkpoint: true, stop: false, bestEpoch: 4, wait: 0}
    ]
  },
  {
    title: "decreases smaller than min_delta: checkpoint every epoch, yet stop after 3",
    losses: [1.0, 0.996, 0.993, 0.9915],
    expected: [
      {checkpoint: true, stop: false, bestEpoch: 1, wait: 0},
      {checkpoint: true, stop: false, bestEpoch: 2, wait: 1},
      {checkpoint: true, stop: false, bestEpoch: 3, wait: 2},
      {checkpoint: true, stop: true, bestEpoch: 4, wait: 3}
    ]
  },
  {
    title: "increases smaller than min_delta count as no improvement",
    losses: [0.5, 0.505, 0.509, 0.507],
    expected: [
      {checkpoint: true, stop: false, bestEpoch: 1, wait: 0},
      {checkpoint: false, stop: false, bestEpoch: 1, wait: 1},
      {checkpoint: false, stop: false, bestEpoch: 1, wait: 2},
      {checkpoint: false, stop: true, bestEpoch: 1, wait: 3}
    ]
  },
  {
    title: "an improvement of more than min_delta resets the counter",
    losses: [1.0, 1.1, 1.2, 0.9, 0.95, 0.95, 0.95],
    expected: [
      {checkpoint: true, stop: false, bestEpoch: 1, wait: 0},
      {checkpoint: false, stop: false, bestEpoch: 1, wait: 1},
      {checkpoint: false, stop: false, bestEpoch: 1, wait: 2},
      {checkpoint: true, stop: false, bestEpoch: 4, wait: 0},
      {checkpoint: false, stop: false, bestEpoch: 4, wait: 1},
      {checkpoint: false, stop: false, bestEpoch: 4, wait: 2},
      {checkpoint: false, stop: true, bestEpoch: 4, wait: 3}
    ]
  },
  {
    // Epoch 3 is only 0.01 below the best (0.995) but 0.015 below the reference (1.0), which Keras compares with.
    title: "the counter compares with the last sufficient improvement, not the best loss",
    losses: [1.0, 0.995, 0.985, 0.99],
    expected: [
      {checkpoint: true, stop: false, bestEpoch: 1, wait: 0},
      {checkpoint: true, stop: false, bestEpoch: 2, wait: 1},
      {checkpoint: true, stop: false, bestEpoch: 3, wait: 0},
      {checkpoint: false, stop: false, bestEpoch: 3, wait: 1}
    ]
  },
  {
    // Exact binary fractions: 0.75 + 0.25 == 1 is not an improvement (strict <), and an equal loss is no checkpoint.
    title: "a decrease of exactly min_delta does not reset the counter",
    losses: [1, 0.75, 0.75, 0.75],
    options: {minDelta: 0.25},
    expected: [
      {checkpoint: true, stop: false, bestEpoch: 1, wait: 0},
      {checkpoint: true, stop: false, bestEpoch: 2, wait: 1},
      {checkpoint: false, stop: false, bestEpoch: 2, wait: 2},
      {checkpoint: false, stop: true, bestEpoch: 2, wait: 3}
    ]
  },
  {
    title: "patience 1 stops at the first epoch without improvement",
    losses: [1.0, 0.5, 0.6],
    options: {patience: 1},
    expected: [
      {checkpoint: true, stop: false, bestEpoch: 1, wait: 0},
      {checkpoint: true, stop: false, bestEpoch: 2, wait: 0},
      {checkpoint: false, stop: true, bestEpoch: 2, wait: 1}
    ]
  },
  {
    title: "min_delta 0 resets the counter on any decrease",
    losses: [1.0, 0.999, 0.999, 0.998],
    options: {minDelta: 0},
    expected: [
      {checkpoint: true, stop: false, bestEpoch: 1, wait: 0},
      {checkpoint: true, stop: false, bestEpoch: 2, wait: 0},
      {checkpoint: false, stop: false, bestEpoch: 2, wait: 1},
      {checkpoint: true, stop: false, bestEpoch: 4, wait: 0}
    ]
  },
  {
    title: "a NaN loss is neither a checkpoint nor an improvement",
    losses: [1.0, NaN, 0.5],
    expected: [
      {checkpoint: true, stop: false, bestEpoch: 1, wait: 0},
      {checkpoint: false, stop: false, bestEpoch: 1, wait: 1},
      {checkpoint: true, stop: false, bestEpoch: 3, wait: 0}
    ]
  }
];

describe("initialEarlyStopping()", () => {
  it("starts with no best epoch and infinite losses", () => {
    expect(initialEarlyStopping()).toEqual({best: Infinity, bestEpoch: 0, reference: Infinity, wait: 0});
  });
});

describe("updateEarlyStopping(state, epoch, metrics, options)", () => {
  it("by default checkpoints on a higher val_accuracy, whatever val_loss does, and never stops", () => {
    let state = initialEarlyStopping();
    const seen: {checkpoint: boolean; stop: boolean}[] = [];
    const epochs: [number, number][] = [
      [0.5, 0.8],
      [0.4, 0.79],
      [0.6, 0.85],
      [0.7, 0.85],
      [0.8, 0.84],
      [0.9, 0.84],
      [1.0, 0.83]
    ];
    epochs.forEach(([valLoss, valAccuracy], i) => {
      const r = updateEarlyStopping(state, i + 1, {valLoss, valAccuracy});
      state = r.state;
      seen.push({checkpoint: r.checkpoint, stop: r.stop});
    });
    expect(seen.map((e) => e.checkpoint)).toEqual([true, false, true, false, false, false, false]);
    expect(seen.every((e) => !e.stop)).toBe(true);
    expect(state.bestEpoch).toBe(3);
  });

  for (const {title, losses, options, expected} of SEQUENCES) {
    it(`${title}: val_loss ${losses.join(", ")}${options ? ` ${JSON.stringify(options)}` : ""}`, () => {
      expect(run(losses, options).epochs).toEqual(expected);
    });
  }

  it("keeps the lowest loss as best and the last sufficient improvement as reference", () => {
    const {state} = run([1.0, 0.995, 0.993]);
    expect(state).toEqual({best: 0.993, bestEpoch: 3, reference: 1.0, wait: 2});
  });

  it("does not modify the state it is given", () => {
    const state: EarlyStoppingState = {best: 0.5, bestEpoch: 2, reference: 0.5, wait: 1};
    const copy = {...state};
    const r = updateEarlyStopping(state, 3, loss(0.4), KERAS);
    expect(state).toEqual(copy);
    expect(r.state).toEqual({best: 0.4, bestEpoch: 3, reference: 0.4, wait: 0});
  });

  it("resumes from a state restored from JSON", () => {
    const first = run([1.0, 0.996]).state;
    const restored = JSON.parse(JSON.stringify(first)) as EarlyStoppingState;
    const a = updateEarlyStopping(restored, 3, loss(0.993), KERAS);
    const b = updateEarlyStopping(first, 3, loss(0.993), KERAS);
    expect(a).toEqual(b);
    expect(a.state.wait).toBe(2);
  });
});
