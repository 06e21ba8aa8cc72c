/**
 * Crash safety of `fmnist train`: the real CLI in a child process, SIGKILLed at seeded random
 * points (inside the per-epoch commit of the resumable state, mid-epoch, at a random moment and
 * during the final evaluation), then `--resume`d until the run completes. After every kill the
 * saved state must load and be internally consistent; at the end the run must look as if nothing
 * had happened.
 */
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, watch} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {normalise, splitValidation, type Examples} from "../../src/core/data/dataset.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {readMetadata} from "../../src/node/model/metadataFile.js";
import {predictAll} from "../../src/core/model/metrics.js";
import {LAST_DIR, MODEL_DIR, loadModel, loadTrainState, readEpochLogs} from "../../src/node/model/runDir.js";
import type {TrainState} from "../../src/core/model/train.js";
import {readLogDir} from "../../src/node/tensorboard/reader.js";
import {createRandom} from "../../src/core/random.js";
import {collect, spawnCli, type CliResult} from "../helpers/cli.js";
import {writeRealSlice} from "../helpers/dataSlice.js";
import {METRICS_FILE} from "../../src/core/formats/metricsLog.js";

const LIMIT = 300; // 270 training and 30 validation images
const TEST_IMAGES = 100;
const BATCH_SIZE = 30;
const BATCHES = 9;
const EPOCHS = 5;

const root = mkdtempSync(join(tmpdir(), "fmnist-kill-"));
const dataDir = join(root, "data");
const run = join(root, "run");
let validation: Examples;

beforeAll(async () => {
  await selectBackend("wasm");
  await writeRealSlice(dataDir, LIMIT, TEST_IMAGES);
  const all = normalise(await loadFashionMnist("train", {dataDir, verify: false}));
  ({validation} = splitValidation(all, 0.1));
});
afterAll(() => rmSync(root, {recursive: true, force: true}));

const common = ["--data-dir", dataDir, "--no-verify", "--no-progress", "--epochs", String(EPOCHS)];
const fresh = [
  "train",
  ...common,
  "--out",
  run,
  "--limit",
  String(LIMIT),
  "--batch-size",
  String(BATCH_SIZE),
  "--patience",
  "10"
];
const resume = ["train", ...common, "--resume", run];

interface Trigger {
  /** Kill when a line of stderr matches. */
  line?: RegExp;
  /** Kill when an entry whose name matches appears in this folder. */
  entry?: {dir: string; name: RegExp};
  /** Wait this long after the trigger (ms). */
  delayMs: number;
}

interface Outcome {
  result: CliResult;
  seconds: number;
}

/** Runs the CLI and SIGKILLs it `delayMs` after the trigger fires; resolves when it is gone. */
async function runAndKill(args: string[], trigger: Trigger): Promise<Outcome> {
  const started = performance.now();
  const child = spawnCli(args, 300_000);
  const done = collect(child);
  let fired = false;
  const fire = () => {
    if (fired) return;
    fired = true;
    if (trigger.delayMs === 0) child.kill("SIGKILL");
    else setTimeout(() => child.kill("SIGKILL"), trigger.delayMs);
  };
  let pending = "";
  child.stderr.on("data", (chunk: string) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    if (trigger.line && lines.some((l) => trigger.line?.test(l))) fire();
  });
  const watcher = trigger.entry
    ? watch(trigger.entry.dir, (_event, name) => {
        if (name && trigger.entry?.name.test(name)) fire();
      })
    : undefined;
  try {
    const result = await done;
    return {result, seconds: (performance.now() - started) / 1000};
  } finally {
    watcher?.close();
  }
}

/** Validation loss of a model, as training computed it. */
async function validationLoss(model: tf.LayersModel): Promise<number> {
  const {loss} = await predictAll(model, validation, 500);
  return loss;
}

/**
 * What must hold after any kill: the committed state loads with a model and an optimizer from
 * that very epoch, the best checkpoint loads, and the metrics log holds the committed epochs in
 * order plus at most the one that was being committed.
 */
async function checkSavedState(): Promise<TrainState> {
  const optimizer = tf.train.adam(0.001);
  const {model, state} = await loadTrainState(run, optimizer);
  try {
    expect(state.history.map((h) => h.epoch)).toEqual(range(state.epoch));
    expect(optimizer.iterations).toBe(state.epoch * BATCHES);
    // The saved weights are the ones the last committed epoch was validated with.
    expect(await validationLoss(model)).toBeCloseTo(state.history[state.epoch - 1].val_loss, 4);
  } finally {
    model.dispose();
    optimizer.dispose();
  }
  const best = await loadModel(join(run, MODEL_DIR));
  expect(Number.isFinite(await validationLoss(best))).toBe(true);
  best.dispose();

  const logged = await readEpochLogs(run);
  const committed = logged.slice(0, state.epoch);
  expect(committed.map((l) => [l.epoch, l.val_loss])).toEqual(state.history.map((h) => [h.epoch, h.val_loss]));
  expect(logged.slice(state.epoch).map((l) => l.epoch)).toEqual(logged.length > state.epoch ? [state.epoch + 1] : []);
  return state;
}

function range(n: number): number[] {
  return Array.from({length: n}, (_, i) => i + 1);
}

describe("fmnist train killed with SIGKILL and resumed", () => {
  it("keeps a loadable, consistent state after every kill and finishes the run with --resume", async () => {
    const random = createRandom(8);
    const timings: string[] = [];
    const report = (what: string, o: Outcome, state?: TrainState) =>
      timings.push(
        `${what}: ${o.seconds.toFixed(1)} s, ${o.result.signal ?? `exit ${o.result.code}`}` +
          (state ? `, committed epoch ${state.epoch}` : "")
      );

    // 1. Inside the commit of epoch 2: a seeded delay of 0–15 ms after its epoch folder appears.
    // The folders exist before the child creates them so the watch can start first.
    mkdirSync(join(run, LAST_DIR), {recursive: true});
    const commitDelay = Math.floor(random() * 16);
    const first = await runAndKill(fresh, {
      entry: {dir: join(run, LAST_DIR), name: /^epoch-0002$/},
      delayMs: commitDelay
    });
    expect(first.result.signal, first.result.stderr).toBe("SIGKILL");
    const afterFirst = await checkSavedState();
    expect([1, 2]).toContain(afterFirst.epoch);
    report(`killed ${commitDelay} ms into the commit of epoch 2`, first, afterFirst);

    // 2. Mid-epoch, after a seeded random batch of the next epoch.
    const epoch = afterFirst.epoch + 1;
    const batch = 1 + Math.floor(random() * BATCHES);
    const second = await runAndKill(resume, {
      line: new RegExp(`^epoch ${epoch}/${EPOCHS}: ${batch}/${BATCHES} `),
      delayMs: 0
    });
    expect(second.result.signal, second.result.stderr).toBe("SIGKILL");
    expect(second.result.stderr).toContain(`resuming ${run} after epoch ${afterFirst.epoch}`);
    const afterSecond = await checkSavedState();
    expect(afterSecond.epoch).toBe(afterFirst.epoch);
    report(`killed after batch ${batch} of epoch ${epoch}`, second, afterSecond);

    // 3. At a seeded random moment up to 4 s after resuming.
    const delay = Math.floor(random() * 4000);
    const third = await runAndKill(resume, {line: /^resuming /, delayMs: delay});
    expect(third.result.signal, third.result.stderr).toBe("SIGKILL");
    const afterThird = await checkSavedState();
    expect(afterThird.epoch).toBeGreaterThanOrEqual(afterSecond.epoch);
    report(`killed ${delay} ms after resuming`, third, afterThird);

    // 4. After the last epoch, while the test set is evaluated and the OOD statistics computed.
    const fourth = await runAndKill(resume, {line: /^out-of-distribution statistics: /, delayMs: 0});
    expect(fourth.result.signal, fourth.result.stderr).toBe("SIGKILL");
    const afterFourth = await checkSavedState();
    expect(afterFourth.epoch).toBe(EPOCHS);
    report("killed during the final evaluation", fourth, afterFourth);

    // 5. The last resume completes the run.
    const started = performance.now();
    const last = await collect(spawnCli(resume, 300_000));
    report("finished", {result: last, seconds: (performance.now() - started) / 1000});
    console.log(`kill-and-resume timings:\n  ${timings.join("\n  ")}`);
    expect(last.code, last.stderr).toBe(0);
    const state = await checkSavedState();
    expect(state.epoch).toBe(EPOCHS);
    expect((await readEpochLogs(run)).map((l) => l.epoch)).toEqual(range(EPOCHS));
    expect(readFileSync(join(run, METRICS_FILE), "utf8").trim().split("\n")).toHaveLength(EPOCHS);

    // The final model is the best epoch's, and its metadata says so.
    const bestEpoch = state.earlyStopping.bestEpoch;
    expect(last.stderr).toContain(`done: best epoch ${bestEpoch}, `);
    const best = await loadModel(join(run, MODEL_DIR));
    expect(await validationLoss(best)).toBeCloseTo(state.history[bestEpoch - 1].val_loss, 4);
    best.dispose();
    const metadata = await readMetadata(join(run, MODEL_DIR));
    expect(metadata?.metrics?.bestEpoch).toBe(bestEpoch);
    expect(metadata?.training?.epochsRun).toBe(EPOCHS);

    // Event files cut by a kill end in a torn record at worst, never a corrupt one.
    for (const logRun of await readLogDir(join(run, "logs"))) {
      for (const file of logRun.files) expect(file.error?.kind ?? "none").toMatch(/^(none|truncated)$/);
    }
    expect(existsSync(join(run, "curves.png"))).toBe(true);

    // And it is the run an uninterrupted process makes: same seed, same batches, dropout masks and
    // weights, so the same metrics and the same final model, exactly.
    const straightRun = join(root, "straight");
    const straight = await collect(
      spawnCli(
        fresh.map((a) => (a === run ? straightRun : a)),
        300_000
      )
    );
    expect(straight.code, straight.stderr).toBe(0);
    const metrics = async (dir: string) =>
      (await readEpochLogs(dir)).map((l) => [l.epoch, l.loss, l.accuracy, l.val_loss, l.val_accuracy]);
    expect(await metrics(run)).toEqual(await metrics(straightRun));
    const [resumedModel, straightModel] = [
      await loadModel(join(run, MODEL_DIR)),
      await loadModel(join(straightRun, MODEL_DIR))
    ];
    const weights = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
    expect(weights(resumedModel)).toEqual(weights(straightModel));
    resumedModel.dispose();
    straightModel.dispose();
  }, 600_000);
});
