import {command} from "../command.js";
import {jobFlags, jobOptions} from "../commonFlags.js";
import {flag} from "../flags.js";
import {formatPercent} from "../tty.js";

export const calibrate = command({
  summary: "compute a model's out-of-distribution statistics and its false-alarm rate on the test set",
  flags: {
    model: flag.string("DIR", "TF.js model folder whose metadata.json is updated (default: the shipped model)"),
    count: flag.int("N", "training images used (default 20000)", {min: 10}),
    percentile: flag.positive("P", "per-class distance percentile used as the threshold (default 99)", 100),
    ...jobFlags
  },
  async run(values, _positionals, effects) {
    const {calibrateCommand} = await import("../commands/calibrate.js");
    const r = await calibrateCommand(
      {
        model: values.model,
        count: values.count,
        percentile: values.percentile,
        ...jobOptions(values)
      },
      effects
    );
    process.stdout.write(
      `out-of-distribution statistics from ${r.samples} training images (p${r.percentile}); ` +
        `false alarms on the ${r.testImages} test images: ${formatPercent(r.testFalseAlarmRate)}\n`
    );
    return 0;
  }
});
