import {TRAIN_DEFAULTS as D} from "../../core/model/trainDefaults.js";
import {command} from "../command.js";
import {jobFlags, jobOptions} from "../commonFlags.js";
import {flag} from "../flags.js";

export const train = command({
  summary: "train the CNN on Fashion-MNIST (Adam, cosine schedule, flips and shifts, checkpoint on best val_accuracy)",
  stopMessage: "stopping after this batch (Ctrl-C again to abort now)…",
  flags: {
    epochs: flag.int("N", `maximum epochs (default ${D.epochs}; early stopping usually ends sooner)`),
    batchSize: flag.int("N", `images per training step (default ${D.batchSize})`),
    learningRate: flag.positive("LR", `Adam's peak learning rate (default ${D.learningRate})`),
    schedule: flag.choice(
      ["cosine", "constant"] as const,
      `learning-rate schedule: warm-up then cosine decay to 0, or constant (default ${D.schedule})`
    ),
    warmupEpochs: flag.int("N", `epochs of linear warm-up of the cosine schedule (default ${D.warmupEpochs})`, {
      min: 0
    }),
    limit: flag.int("N", "train on the first N training images only (quick runs)", {min: 2}),
    seed: flag.int(
      "N",
      `seed for weights, shuffling, augmentation and dropout (default ${D.seed}); same seed, same run`,
      {min: 0}
    ),
    out: flag.string("DIR", "run folder to create (default runs/<timestamp>)"),
    resume: flag.string("DIR", "continue the run in this folder from its last completed epoch"),
    force: flag.switch("start over in --out even if it holds a run (deletes only the files that run wrote)"),
    noAugment: flag.switch("train without the random shifts (±2 px) and horizontal flips (on by default)"),
    erase: flag.fraction("P", `probability of random erasing of a rectangle per image (default ${D.erase}: off)`),
    labelSmoothing: flag.fraction("E", `label smoothing of the cross-entropy (default ${D.labelSmoothing})`),
    preciseBn: flag.int(
      "N",
      `set batch-norm statistics from N training images after each epoch (default ${D.preciseBatchNorm}; 0: off)`,
      {min: 0}
    ),
    monitor: flag.choice(
      ["val_accuracy", "val_loss"] as const,
      `metric that picks the checkpoint and drives early stopping (default ${D.monitor})`
    ),
    validation: flag.choice(
      ["split", "test"] as const,
      "split (default: 10% of the training set) or test (the seed's choice)"
    ),
    patience: flag.int(
      "N",
      `stop after N epochs without improvement of --monitor by ${D.minDelta} (default ${D.patience}: never)`,
      {min: 0}
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
        schedule: values.schedule,
        warmupEpochs: values.warmupEpochs,
        erase: values.erase,
        labelSmoothing: values.labelSmoothing,
        preciseBatchNorm: values.preciseBn,
        monitor: values.monitor,
        limit: values.limit,
        seed: values.seed,
        out: values.out,
        resume: values.resume,
        force: values.force,
        augment: values.noAugment ? false : undefined,
        validation: values.validation,
        patience: values.patience,
        ...jobOptions(values)
      },
      effects
    );
    return 0;
  }
});
