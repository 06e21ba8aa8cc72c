import {OOD_METHODS} from "../../core/formats/oodStats.js";
import {command} from "../command.js";
import {jobFlags, jobOptions} from "../commonFlags.js";
import {flag, pickValues} from "../flags.js";
import {formatPercent} from "../tty.js";

export const calibrate = command({
  summary: "fit a model's out-of-distribution statistics; measure false alarms (test set) and AUROC (OOD benchmark)",
  flags: {
    model: flag.string(
      "PATH",
      "model folder, model.json or Keras .h5 (default: the shipped model); the statistics go into the folder, or beside the .h5 as NAME.h5.ood-stats.bin"
    ),
    count: flag.int("N", "training images used (default 20000)", {min: 10}),
    method: flag.choice(OOD_METHODS, "the score the rule uses (default knn, the best in docs/ood.md)"),
    k: flag.int("K", "neighbours for the knn score (default 5)", {min: 1, max: 100}),
    percentile: flag.positive("P", "per-class distance percentile of the centroid score (default 99)", 100),
    noTta: flag.switch("score the image only, not also its mirror image"),
    json: flag.switch('print {"falseAlarmRate", "auroc", "method"} as one JSON line'),
    ...jobFlags
  },
  async run(values, _positionals, effects) {
    const {calibrateCommand} = await import("../commands/calibrate.js");
    const r = await calibrateCommand(
      {
        ...pickValues(values, ["model", "count", "percentile", "method", "k"]),
        tta: values.noTta ? false : undefined,
        ...jobOptions(values)
      },
      effects
    );
    if (values.json) {
      const out = {falseAlarmRate: r.testFalseAlarmRate, auroc: r.auroc, method: r.method};
      process.stdout.write(JSON.stringify(out) + "\n");
    } else {
      process.stdout.write(
        `out-of-distribution statistics (${r.method}) from ${r.samples} training images in ${r.file}; ` +
          `false alarms on the test set: ${formatPercent(r.testFalseAlarmRate)}; ` +
          `on ${r.oodInputs} non-garment inputs: detection ${formatPercent(r.detection)}, AUROC ${r.auroc.toFixed(3)}\n`
      );
    }
    return 0;
  }
});
