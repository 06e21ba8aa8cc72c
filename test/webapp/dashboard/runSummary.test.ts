import {readFileSync} from "node:fs";
import {join} from "node:path";

import {describe, expect, it} from "vitest";

import {DEFAULT_RUN_DIR} from "../../../src/cli/commands/serve.js";
import {parseMetricsLog} from "../../../src/core/formats/metricsLog.js";
import {bestEpoch, epochPoints, runSummaryText} from "../../../web/src/views/dashboard/runSummary.js";

const shipped = readFileSync(join(DEFAULT_RUN_DIR, "metrics.jsonl"), "utf8");

describe("dashboard run summary", () => {
  it("reads every epoch of the shipped run and finds the checkpointed epoch", () => {
    const points = epochPoints(parseMetricsLog(shipped));
    const lines = shipped.trim().split("\n").length;
    expect(points.map((p) => p.epoch)).toEqual(Array.from({length: lines}, (_, i) => i + 1));
    const metadata = JSON.parse(readFileSync(join(DEFAULT_RUN_DIR, "..", "metadata.json"), "utf8")) as {
      metrics: {bestEpoch: number};
    };
    expect(bestEpoch(points)?.epoch).toBe(metadata.metrics.bestEpoch);
    expect(runSummaryText(points)).toMatch(
      new RegExp(
        `^${lines} epochs; checkpoint at epoch ${metadata.metrics.bestEpoch}: validation accuracy \\d+\\.\\d\\d%, loss 0\\.\\d{4}$`
      )
    );
  });

  it("keeps the last copy of a repeated epoch (a resumed run) and skips incomplete lines and NaN metrics", () => {
    const rest = {learning_rate: 0.001, seconds: 1, images_per_second: 100, checkpoint: false};
    const log = [
      {type: "epoch", epoch: 2, loss: 0.5, accuracy: 0.8, val_loss: 0.6, val_accuracy: 0.7, ...rest},
      {type: "epoch", epoch: 1, loss: 0.9, accuracy: 0.6, val_loss: 0.8, val_accuracy: 0.65, ...rest},
      {type: "epoch", epoch: 2, loss: 0.4, accuracy: 0.85, val_loss: 0.5, val_accuracy: 0.8, ...rest},
      {type: "epoch", epoch: 3, loss: 0.3},
      {type: "epoch", epoch: 4, loss: null, accuracy: 1, val_loss: 0.1, val_accuracy: 1, ...rest},
      {type: "start", epoch: 5, loss: 0.1, accuracy: 1, val_loss: 0.1, val_accuracy: 1, ...rest}
    ]
      .map((r) => JSON.stringify(r))
      .join("\n");
    const points = epochPoints(parseMetricsLog(log));
    expect(points.map((p) => [p.epoch, p.loss])).toEqual([
      [1, 0.9],
      [2, 0.4]
    ]);
    expect(bestEpoch(points)?.epoch).toBe(2);
  });

  it("takes the last epoch the log marks as checkpoint, whatever its loss; the lowest loss without marks", () => {
    const rest = {learning_rate: 0.001, seconds: 1, images_per_second: 100};
    const logs = [
      {epoch: 1, loss: 0.9, accuracy: 0.6, val_loss: 0.3, val_accuracy: 0.9, checkpoint: true, ...rest},
      {epoch: 2, loss: 0.5, accuracy: 0.8, val_loss: 0.2, val_accuracy: 0.89, checkpoint: false, ...rest},
      {epoch: 3, loss: 0.4, accuracy: 0.85, val_loss: 0.25, val_accuracy: 0.93, checkpoint: true, ...rest},
      {epoch: 4, loss: 0.3, accuracy: 0.9, val_loss: 0.24, val_accuracy: 0.92, checkpoint: false, ...rest}
    ];
    expect(bestEpoch(epochPoints(logs))?.epoch).toBe(3);
    expect(bestEpoch(epochPoints(logs.map((l) => ({...l, checkpoint: false}))))?.epoch).toBe(2);
  });

  it("says when there is no epoch yet", () => {
    expect(epochPoints([])).toEqual([]);
    expect(bestEpoch([])).toBeUndefined();
    expect(runSummaryText([])).toBe("No finished epoch in the log yet.");
  });
});
