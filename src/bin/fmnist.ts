#!/usr/bin/env node
/**
 * The `fmnist` command line: parses arguments, runs one subcommand, and is the only place that
 * prints errors and exits. Subcommands are imported lazily so `--help` stays instant.
 */
import {parseArgs, type ParseArgsConfig} from "node:util";

import {CliError, UsageError} from "../errors.js";
import {describeFsError} from "../io/fsErrors.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

interface Command {
  summary: string;
  usage: string;
  options: Options;
  help: Record<string, string>;
  run(
    values: Record<string, string | boolean | (string | boolean)[] | undefined>,
    positionals: string[]
  ): Promise<number>;
}

const COMMON: Options = {
  help: {type: "boolean", short: "h"},
  debug: {type: "boolean"},
  backend: {type: "string"},
  "data-dir": {type: "string"},
  "no-verify": {type: "boolean"}
};
const COMMON_HELP: Record<string, string> = {
  backend: "compute backend: node (if @tensorflow/tfjs-node is installed), wasm (default otherwise), cpu",
  "data-dir": "folder with the Fashion-MNIST *-ubyte(.gz) files (default: $FASHION_MNIST_DIR, then Debian's package)",
  "no-verify": "do not check the dataset files' SHA-256 (for a modified copy of Fashion-MNIST)",
  debug: "show stack traces on errors",
  help: "show this help"
};

function int(values: Record<string, unknown>, name: string, min = 1): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} must be an integer ≥ ${min}; got "${String(raw)}"`);
  return n;
}

function num(values: Record<string, unknown>, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number; got "${String(raw)}"`);
  return n;
}

function port(values: Record<string, unknown>): number | undefined {
  const p = int(values, "port", 0);
  if (p !== undefined && p > 65535) throw new UsageError(`--port must be at most 65535; got ${p}`);
  return p;
}

/** Resolves when Ctrl-C or SIGTERM has closed the server. */
async function untilStopped(server: {close(): Promise<void>}): Promise<void> {
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.stderr.write("\nstopping the server…\n");
      void server.close().then(resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

async function backendOf(values: Record<string, unknown>) {
  const {parseBackendName} = await import("../backend/backendName.js");
  return values.backend === undefined ? undefined : parseBackendName(String(values.backend));
}

const COMMANDS: Record<string, Command> = {
  calibrate: {
    summary: "compute a model's out-of-distribution statistics and its false-alarm rate on the test set",
    usage: "fmnist calibrate [--model DIR] [--count N] [--percentile P]",
    options: {model: {type: "string"}, count: {type: "string"}, percentile: {type: "string"}},
    help: {
      model: "TF.js model folder whose metadata.json is updated (default: the shipped model)",
      count: "training images used (default 20000)",
      percentile: "per-class distance percentile used as the threshold (default 99)"
    },
    async run(values) {
      const {calibrateCommand} = await import("../commands/calibrate.js");
      const percentile = num(values, "percentile");
      if (percentile !== undefined && percentile > 100) throw new UsageError("--percentile must be at most 100");
      const r = await calibrateCommand({
        model: values.model as string | undefined,
        count: int(values, "count", 10),
        percentile,
        dataDir: values["data-dir"] as string | undefined,
        verify: values["no-verify"] ? false : undefined,
        backend: await backendOf(values),
        onProgress: (m) => process.stderr.write(m + "\n")
      });
      process.stdout.write(
        `out-of-distribution statistics from ${r.samples} training images (p${r.percentile}); ` +
          `false alarms on the ${r.testImages} test images: ${(r.testFalseAlarmRate * 100).toFixed(2)}%\n`
      );
      return 0;
    }
  },
  classify: {
    summary: "classify photos; with --save-plots, show every layer's activations, CAM and Grad-CAM",
    usage:
      "fmnist classify IMAGE... [--model PATH] [--save-plots] [--plot-dir DIR] [--preprocess fashion|plain] [--json] [--top K]",
    options: {
      model: {type: "string"},
      "save-plots": {type: "boolean"},
      "plot-dir": {type: "string"},
      preprocess: {type: "string"},
      json: {type: "boolean"},
      top: {type: "string"},
      "cam-layer": {type: "string"},
      "cam-class": {type: "string"}
    },
    help: {
      model: "model folder, model.json or Keras .h5 file (default: the shipped models/fashion-cnn)",
      "save-plots": "write the pictures and report.html (input steps, feature maps, CAM, Grad-CAM)",
      "plot-dir": "folder for the pictures (default visualisations/; one sub-folder per image when several)",
      preprocess: "fashion (default: trim, resize, sharpen, pad, negate, like Fashion-MNIST) or plain (grey + resize)",
      json: "print one JSON object per image per line: file, label, score, probabilities, ood",
      top: "print the K most likely classes (default 1)",
      "cam-layer": "convolution layer for Grad-CAM (default: the last one)",
      "cam-class": "class explained by CAM and Grad-CAM (default: the predicted one)"
    },
    async run(values, positionals) {
      const {parsePreprocessName} = await import("../image/preprocess.js");
      const options = {
        images: positionals,
        model: values.model as string | undefined,
        savePlots: values["save-plots"] === true,
        plotDir: values["plot-dir"] as string | undefined,
        preprocess: values.preprocess === undefined ? undefined : parsePreprocessName(String(values.preprocess)),
        top: int(values, "top") ?? 1,
        camLayer: values["cam-layer"] as string | undefined,
        camClass: values["cam-class"] as string | undefined,
        backend: await backendOf(values)
      };
      // Imported after the flags are checked: it loads TF.js, which takes a second or more.
      const {classifyCommand} = await import("../commands/classify.js");
      const {failed} = await classifyCommand(options, {
        onResult(r) {
          if (values.json) {
            process.stdout.write(JSON.stringify(r) + "\n");
            return;
          }
          const classes = r.top.map((t) => `${t.label} ${t.score.toFixed(4)}`).join(", ");
          const flag = r.ood ? `  [unlike Fashion-MNIST: ${r.oodReason}]` : "";
          const plots = r.plotDir ? `  (plots: ${r.plotDir})` : "";
          process.stdout.write(`${r.file}: ${classes}${flag}${plots}\n`);
        },
        onError(file, error) {
          process.stderr.write(`fmnist: ${error.message.startsWith(file) ? "" : file + ": "}${error.message}\n`);
        }
      });
      return failed > 0 ? 1 : 0;
    }
  },
  train: {
    summary: "train the CNN on Fashion-MNIST (Adam, checkpoint on best val_loss, early stopping)",
    usage:
      "fmnist train [--epochs N] [--batch-size N] [--limit N] [--seed N] [--out DIR [--force]] [--resume DIR] [--augment]",
    options: {
      epochs: {type: "string"},
      "batch-size": {type: "string"},
      "learning-rate": {type: "string"},
      limit: {type: "string"},
      seed: {type: "string"},
      out: {type: "string"},
      resume: {type: "string"},
      force: {type: "boolean"},
      augment: {type: "boolean"},
      validation: {type: "string"},
      patience: {type: "string"},
      "no-progress": {type: "boolean"}
    },
    help: {
      epochs: "maximum epochs (default 30; early stopping usually ends sooner)",
      "batch-size": "images per training step (default 128)",
      "learning-rate": "Adam learning rate (default 0.001)",
      limit: "train on the first N training images only (quick runs)",
      seed: "seed for weights, shuffling, augmentation and dropout (default 42); same seed, same run",
      out: "run folder to create (default runs/<timestamp>)",
      resume: "continue the run in this folder from its last completed epoch",
      force: "start over in --out even if it holds a run (deletes only the files that run wrote)",
      augment: "random shifts (±2 px) and horizontal flips",
      validation: "split (default: 10% of the training set) or test (the seed's choice)",
      patience: "early-stopping patience in epochs (default 3, min_delta 0.01 on val_loss)",
      "no-progress": "plain progress lines instead of bars (the default when stderr is not a terminal)"
    },
    async run(values) {
      const validation = values.validation;
      if (validation !== undefined && validation !== "split" && validation !== "test") {
        throw new UsageError(`--validation must be split or test; got "${String(validation)}"`);
      }
      const options = {
        epochs: int(values, "epochs"),
        batchSize: int(values, "batch-size"),
        learningRate: num(values, "learning-rate"),
        limit: int(values, "limit", 2),
        seed: int(values, "seed", 0),
        out: values.out as string | undefined,
        resume: values.resume as string | undefined,
        force: values.force === true ? true : undefined,
        augment: values.augment === true ? true : undefined,
        validation: validation as "split" | "test" | undefined,
        patience: int(values, "patience"),
        dataDir: values["data-dir"] as string | undefined,
        verify: values["no-verify"] ? false : undefined,
        backend: await backendOf(values),
        progress: values["no-progress"] ? false : undefined
      };
      const {trainCommand} = await import("../commands/train.js");
      let stopRequested = false;
      const onSigint = () => {
        if (stopRequested) process.exit(130);
        stopRequested = true;
        process.stderr.write("\nstopping after this batch (Ctrl-C again to abort now)…\n");
      };
      process.on("SIGINT", onSigint);
      try {
        await trainCommand(options, {
          logger: (await import("../tty.js")).consoleLogger,
          shouldStop: () => stopRequested
        });
      } finally {
        process.off("SIGINT", onSigint);
      }
      return 0;
    }
  },
  evaluate: {
    summary: "test-set accuracy, loss, per-class accuracy and confusion matrix of a model",
    usage: "fmnist evaluate [--model DIR] [--json] [--limit N] [--plots DIR]",
    options: {model: {type: "string"}, json: {type: "boolean"}, limit: {type: "string"}, plots: {type: "string"}},
    help: {
      model: "model folder (model.json) (default: the shipped models/fashion-cnn)",
      json: "print one JSON object: accuracy, loss, perClassAccuracy, confusionMatrix",
      limit: "evaluate on the first N test images only",
      plots: "also write confusion_matrix.png and per_class_accuracy.png into DIR"
    },
    async run(values) {
      const {evaluateCommand, formatEvaluation} = await import("../commands/evaluate.js");
      const result = await evaluateCommand({
        model: values.model as string | undefined,
        dataDir: values["data-dir"] as string | undefined,
        verify: values["no-verify"] ? false : undefined,
        backend: await backendOf(values),
        limit: int(values, "limit")
      });
      process.stdout.write(values.json ? JSON.stringify(result) + "\n" : formatEvaluation(result) + "\n");
      if (typeof values.plots === "string") {
        const {writeEvaluationPlots} = await import("../export/trainingPictures.js");
        const files = await writeEvaluationPlots(values.plots, result);
        process.stderr.write(`plots: ${files.join(", ")}\n`);
      }
      return 0;
    }
  },
  logs: {
    summary: "dump the scalars of a run's TensorBoard event files (every record's CRC checked)",
    usage: "fmnist logs RUN [--json]",
    options: {json: {type: "boolean"}},
    help: {json: "print one JSON object: per run (train, validation) the files, scalars, histogram and image tags"},
    async run(values, positionals) {
      const {formatLogs, logsCommand} = await import("../commands/logs.js");
      if (positionals.length !== 1)
        throw new UsageError(`expected one run folder; got ${positionals.length} arguments`);
      const result = await logsCommand(positionals[0]);
      process.stdout.write((values.json ? JSON.stringify(result) : formatLogs(result)) + "\n");
      for (const e of result.errors) process.stderr.write(`fmnist: warning: ${e.path}: ${e.message}; stopped there\n`);
      // A torn last record is what a crash leaves behind; a CRC mismatch means corruption.
      return result.errors.some((e) => e.kind !== "truncated") ? 1 : 0;
    }
  },
  export: {
    summary: "embeddings of the test images for the TensorBoard Projector, with PCA, t-SNE and UMAP and pictures",
    usage:
      "fmnist export [--model PATH] [--out DIR] [--count N] [--projections pca,tsne,umap] [--dims 2,3] [--seed S] [--base-url URL]",
    options: {
      model: {type: "string"},
      out: {type: "string"},
      count: {type: "string"},
      projections: {type: "string"},
      dims: {type: "string"},
      seed: {type: "string"},
      "base-url": {type: "string"},
      "tsne-iterations": {type: "string"},
      "no-progress": {type: "boolean"}
    },
    help: {
      model: "model folder, model.json or Keras .h5 (default: the shipped models/fashion-cnn)",
      out: "folder to write; replaced as a whole at the end (default projector)",
      count: "use the first N test images (default 10000)",
      projections: "comma-separated list of pca, tsne, umap (default all three)",
      dims: "output dimensions of the projections: 2, 3 or 2,3 (default 2,3)",
      seed: "seed of t-SNE, UMAP and the quality samples (default 42); same seed, same bytes",
      "base-url": "where the files will be served, for config.json (default http://localhost:8000/projector)",
      "tsne-iterations": "t-SNE gradient-descent iterations (default 1000)",
      "no-progress": "plain progress lines instead of bars (the default when stderr is not a terminal)"
    },
    async run(values) {
      const {exportCommand, parseDims, parseProjections} = await import("../commands/export.js");
      const {createProgress} = await import("../progress.js");
      const {consoleLogger} = await import("../tty.js");
      let stopRequested = false;
      const onSigint = () => {
        if (stopRequested) process.exit(130);
        stopRequested = true;
        process.stderr.write("\nstopping; nothing will be written (Ctrl-C again to abort now)…\n");
      };
      process.on("SIGINT", onSigint);
      try {
        await exportCommand(
          {
            model: values.model as string | undefined,
            out: values.out as string | undefined,
            count: int(values, "count", 16),
            projections: values.projections === undefined ? undefined : parseProjections(String(values.projections)),
            dims: values.dims === undefined ? undefined : parseDims(String(values.dims)),
            seed: int(values, "seed", 0),
            baseUrl: values["base-url"] as string | undefined,
            tsneIterations: int(values, "tsne-iterations"),
            dataDir: values["data-dir"] as string | undefined,
            backend: await backendOf(values)
          },
          {
            logger: consoleLogger,
            progress: createProgress({
              bars: !values["no-progress"] && process.stderr.isTTY === true,
              logger: consoleLogger
            }),
            shouldStop: () => stopRequested
          }
        );
      } finally {
        process.off("SIGINT", onSigint);
      }
      return 0;
    }
  },
  serve: {
    summary: "serve the web app, an export folder (also for the TensorBoard Projector), a run and the model",
    usage: "fmnist serve [--dir DIR] [--run DIR] [--model DIR] [--app DIR] [--port 8000] [--host 127.0.0.1]",
    options: {
      dir: {type: "string"},
      run: {type: "string"},
      model: {type: "string"},
      app: {type: "string"},
      port: {type: "string"},
      host: {type: "string"}
    },
    help: {
      dir: "export folder, served at /projector/ (default projector)",
      run: "training run folder, served at /runs/ (default: the shipped model's run)",
      model: "TF.js model folder, served at /model/ (default: the shipped model)",
      app: "built web app, served at / (default: the package's dist/web, made by npm run build)",
      port: "TCP port (default 8000; 0 picks a free one)",
      host: "interface to bind (default 127.0.0.1, this machine only; 0.0.0.0 serves the network)"
    },
    async run(values) {
      const {serveCommand} = await import("../commands/serve.js");
      const {consoleLogger} = await import("../tty.js");
      const server = await serveCommand(
        {
          dir: values.dir as string | undefined,
          run: values.run as string | undefined,
          model: values.model as string | undefined,
          app: values.app as string | undefined,
          port: port(values),
          host: values.host as string | undefined
        },
        {logger: consoleLogger}
      );
      await untilStopped(server);
      return 0;
    }
  },
  start: {
    summary: "export the shipped model's embeddings if not done yet, then serve the web app (npm start)",
    usage: "fmnist start [--dir DIR] [--count N] [--port 8000] [--host 127.0.0.1]",
    options: {
      dir: {type: "string"},
      count: {type: "string"},
      port: {type: "string"},
      host: {type: "string"},
      "no-progress": {type: "boolean"}
    },
    help: {
      dir: "export folder, made on first start (default projector)",
      count: "test images in that export (default 10000); an existing export is kept as it is",
      port: "TCP port (default 8000)",
      host: "interface to bind (default 127.0.0.1, this machine only)",
      "no-progress": "plain progress lines instead of bars (the default when stderr is not a terminal)"
    },
    async run(values) {
      const {startCommand} = await import("../commands/start.js");
      const {createProgress} = await import("../progress.js");
      const {consoleLogger} = await import("../tty.js");
      const server = await startCommand(
        {
          dir: values.dir as string | undefined,
          port: port(values),
          host: values.host as string | undefined,
          dataDir: values["data-dir"] as string | undefined,
          count: int(values, "count", 16)
        },
        {
          logger: consoleLogger,
          progress: createProgress({
            bars: !values["no-progress"] && process.stderr.isTTY === true,
            logger: consoleLogger
          })
        }
      );
      await untilStopped(server);
      return 0;
    }
  }
};

function usage(): string {
  const lines = [
    "fmnist: train and look inside a CNN on Fashion-MNIST",
    "",
    "usage: fmnist <command> [options]",
    "",
    "commands:"
  ];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  lines.push("", "Run `fmnist <command> --help` for a command's options.");
  return lines.join("\n");
}

function commandHelp(name: string, c: Command): string {
  const lines = [`usage: ${c.usage}`, "", c.summary, "", "options:"];
  const all = {...c.help, ...COMMON_HELP};
  for (const [flag, text] of Object.entries(all)) lines.push(`  --${flag.padEnd(15)} ${text}`);
  return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage() + "\n");
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}"\n\n${usage()}`);
  let parsed;
  try {
    parsed = parseArgs({args: rest, options: {...COMMON, ...command.options}, allowPositionals: true, strict: true});
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${commandHelp(name, command)}`);
  }
  if (parsed.values.help) {
    process.stdout.write(commandHelp(name, command) + "\n");
    return 0;
  }
  return command.run(parsed.values, parsed.positionals);
}

const debug = process.argv.includes("--debug");
main(process.argv.slice(2)).then(
  async (code) => {
    if (debug) {
      // Says whether the optional native convolutions ran (see docs/performance.md).
      const {describeBackend} = await import("../backend/selectBackend.js");
      process.stderr.write(`fmnist: backend ${describeBackend() ?? "(none initialised)"}\n`);
    }
    process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      process.stderr.write(`fmnist: ${error.message}\n`);
      if (debug && error.stack) process.stderr.write(error.stack + "\n");
      process.exit(error.exitCode);
    }
    // Disk full, no permission, too many open files…: the user's to fix, so exit 1 with the path.
    const fsProblem = describeFsError(error);
    if (fsProblem) {
      process.stderr.write(`fmnist: ${fsProblem}\n`);
      if (debug && error instanceof Error && error.stack) process.stderr.write(error.stack + "\n");
      process.exit(1);
    }
    process.stderr.write(`fmnist: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(error.stack + "\n");
    else process.stderr.write("(run again with --debug for the stack trace)\n");
    process.exit(70);
  }
);
