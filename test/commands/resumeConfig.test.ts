import {describe, expect, it} from "vitest";

import {resumeConfig} from "../../src/cli/commands/train.js";

describe("resumeConfig(saved, options): a run keeps the recipe it started with", () => {
  it("fills a config saved before issue 16 with that recipe (constant rate, val_loss, patience 3, no precise BN)", () => {
    const saved = {
      epochs: 30,
      batchSize: 128,
      learningRate: 0.001,
      seed: 42,
      augment: false,
      patience: 3,
      minDelta: 0.01
    };
    const config = resumeConfig(saved, {resume: "runs/old", epochs: 40});
    expect(config).toMatchObject({
      schedule: "constant",
      monitor: "val_loss",
      patience: 3,
      preciseBatchNorm: 0,
      learningRate: 0.001,
      epochs: 40,
      resume: "runs/old"
    });
  });

  it("keeps what a new run saved", () => {
    const saved = {
      epochs: 30,
      schedule: "cosine" as const,
      monitor: "val_accuracy" as const,
      patience: 0,
      preciseBatchNorm: 4096
    };
    expect(resumeConfig(saved, {resume: "r"})).toMatchObject({...saved, resume: "r"});
  });
});
