import {TRAIN_DEFAULTS as D} from "../../core/model/trainDefaults.js";
import {command} from "../command.js";
import {jobFlags, jobOptions} from "../commonFlags.js";
import {flag} from "../flags.js";

export const train = command({
  summary: "train the CNN on Fashion-MNIST (Adam, checkpoint on best val_loss, early stopping)",
  stopMessage: "stopping after this batch (Ctrl-C again to abort now)…",
  flags: {
    epochs: flag.int("N", `maximum epochs (default ${D.epochs}; early stopping usually ends sooner)`),
    batchSize: flag.int("N", `images per training step (default ${D.batchSize})`),
    learningRate: flag.positive("LR", `Adam learning rate (default ${D.learningRate})`),
    limit: flag.int("N", "train on the first N training images only (quick runs)", {min: 2}),
    seed: flag.int(
      "N",
      `seed for weights, shuffling, augmentation and dropout (default ${D.seed}); same seed, same run`,
      {min: 0}
    ),
    out: flag.string("DIR", "run folder to create (default runs/<timestamp>)"),
    resume: flag.string("DIR", "continue the run in this folder from its last completed epoch"),
    force: flag.switch("start over in --out even if it holds a run (deletes only the files that run wrote)"),
    augment: flag.switch("random shifts (±2 px) and horizontal flips"),
    validation: flag.choice(
      ["split", "test"] as const,
      "split (default: 10% of the training set) or test (the seed's choice)"
    ),
    patience: flag.int(
      "N",
      `early-stopping patience in epochs (default ${D.patience}, min_delta ${D.minDelta} on val_loss)`
    ),
    ...jobFlags
  },
  async run(values, _positionals, effects) {
    const {trainCommand} = await import("../commands/train.js");
    await trainCommand(
      {
        epochs: values.epochs,
        batchSize: values.batchSize,
        learningRate: values.learningRate,
        limit: values.limit,
        seed: values.seed,
        out: values.out,
        resume: values.resume,
        force: values.force,
        augment: values.augment,
        validation: values.validation,
        patience: values.patience,
        ...jobOptions(values)
      },
      effects
    );
    return 0;
  }
});
