import {command} from "../command.js";
import {anyModelFlag, jobFlags, jobOptions} from "../commonFlags.js";
import {flag, pickValues} from "../flags.js";
import {formatEvaluation} from "../format/evaluation.js";

export const evaluate = command({
  summary: "test-set accuracy, loss, per-class accuracy and confusion matrix of a model",
  flags: {
    ...anyModelFlag,
    json: flag.switch("print one JSON object: accuracy, loss, perClassAccuracy, confusionMatrix"),
    limit: flag.int("N", "evaluate on the first N test images only"),
    plots: flag.string("DIR", "also write confusion_matrix.png and per_class_accuracy.png into DIR"),
    ...jobFlags
  },
  async run(values, _positionals, effects) {
    const {evaluateCommand} = await import("../commands/evaluate.js");
    const result = await evaluateCommand({...pickValues(values, ["model", "limit"]), ...jobOptions(values)}, effects);
    process.stdout.write((values.json ? JSON.stringify(result) : formatEvaluation(result)) + "\n");
    if (values.plots !== undefined) {
      const {writeEvaluationPlots} = await import("../../node/pictures/trainingPictures.js");
      const files = await writeEvaluationPlots(values.plots, result);
      effects.log.info(`plots: ${files.join(", ")}`);
    }
    return 0;
  }
});
