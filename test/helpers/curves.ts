/** Training curves for the chart tests. Not a test file itself. */
import type {CurvePoint} from "../../src/core/formats/metricsLog.js";

/** Three epochs of falling loss and rising accuracy, validation a little behind training. */
export const THREE_EPOCHS: readonly CurvePoint[] = [1, 2, 3].map((epoch) => ({
  epoch,
  loss: 1 / epoch,
  accuracy: 0.5 + epoch / 10,
  val_loss: 1.2 / epoch,
  val_accuracy: 0.45 + epoch / 10
}));
