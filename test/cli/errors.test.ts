/**
 * The user-facing errors of every command that no other test reaches through the real CLI: exit
 * code 2 for bad usage, 1 for everything else, 130 for an interrupted run, each as one
 * `fmnist: …` line on stderr without a stack trace (docs/reliability.md lists them all).
 */
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {createServer, type Server} from "node:net";
import {tmpdir} from "node:os";
import {join} from "node:path";

import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {saveModel} from "../../src/node/model/io.js";
import {EventFileWriter} from "../../src/node/tensorboard/eventWriter.js";
import {collect, runCli, spawnCli, type CliResult} from "../helpers/cli.js";
import {writeRealSlice} from "../helpers/dataSlice.js";

const IMAGE = "sample_images/sneaker.jpg";

let root: string;
let dataDir: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "fmnist-cli-errors-"));
  // The first images of the real training and test sets, for the commands that load data.
  dataDir = join(root, "data");
  await writeRealSlice(dataDir, 200, 50);
});
afterAll(() => rmSync(root, {recursive: true, force: true}));

/**
 * Checks exit code `code` and that stderr ends with the one error line (for usage errors, followed
 * by the pointer to the command's help); returns the error line.
 */
function expectError(r: CliResult, code: number, message: string | RegExp): string {
  expect(r.code, r.stderr).toBe(code);
  const lines = r.stderr.replace(/\n$/, "").split("\n");
  if (code === 2) expect(lines.pop()).toMatch(/^Run `fmnist \w+ --help` to see its options\.$/);
  const errorLine = lines.at(-1) ?? "";
  // Commands that load TF.js print their backend first; nothing else may come before the error.
  for (const line of lines.slice(0, -1)) expect(line, r.stderr).toMatch(/^(backend|data): /);
  if (typeof message === "string") expect(errorLine).toBe(`fmnist: ${message}`);
  else expect(errorLine).toMatch(message);
  expect(r.stderr).not.toMatch(/^\s+at |unexpected error/m);
  return errorLine;
}

describe("usage errors: exit 2", () => {
  it.concurrent("--backend with an unknown name", async () => {
    const r = await runCli(["evaluate", "--backend", "gpu"]);
    expectError(r, 2, '--backend must be one of node, wasm, cpu; got "gpu"');
  });

  it.concurrent("--learning-rate that is not a positive number", async () => {
    const r = await runCli(["train", "--learning-rate=0", "--data-dir", dataDir]);
    expectError(r, 2, '--learning-rate must be a positive number; got "0"');
  });

  it.concurrent("--validation other than split or test", async () => {
    const r = await runCli(["train", "--validation", "holdout", "--data-dir", dataDir]);
    expectError(r, 2, '--validation must be split or test; got "holdout"');
  });

  it.concurrent("calibrate --percentile over 100", async () => {
    const r = await runCli(["calibrate", "--percentile", "150"]);
    expectError(r, 2, "--percentile must be at most 100");
  });

  it.concurrent("serve --port over 65535", async () => {
    const r = await runCli(["serve", "--port", "70000"]);
    expectError(r, 2, "--port must be at most 65535; got 70000");
  });

  it.concurrent("export --projections, --dims and --base-url with bad values", async () => {
    const [projections, dims, baseUrl, scheme] = await Promise.all([
      runCli(["export", "--projections", "pca,isomap"]),
      runCli(["export", "--dims", "4"]),
      runCli(["export", "--base-url", "localhost"]),
      runCli(["export", "--base-url", "ftp://example.org"])
    ]);
    expectError(projections, 2, '--projections takes a list of pca, tsne, umap; got "pca,isomap"');
    expectError(dims, 2, '--dims takes 2, 3 or 2,3; got "4"');
    expectError(baseUrl, 2, '--base-url must be an absolute URL such as http://localhost:8000; got "localhost"');
    expectError(scheme, 2, '--base-url must use http or https; got "ftp://example.org"');
  });

  it.concurrent("logs with two folders", async () => {
    const r = await runCli(["logs", "a", "b"]);
    expectError(r, 2, "expected one run folder; got 2 arguments");
  });

  it.concurrent("classify without images", async () => {
    const r = await runCli(["classify"]);
    expectError(r, 2, "classify needs at least one image file");
  });

  it.concurrent("an option the command does not have", async () => {
    const r = await runCli(["logs", "--epochs", "3", "run"]);
    expectError(r, 2, 'unknown option "--epochs"');
  });
});

describe("errors: exit 1", () => {
  it.concurrent("a model path that does not exist, and a file that is not a model", async () => {
    const notModel = join(root, "notes.txt");
    writeFileSync(notModel, "hello\n");
    const missing = join(root, "no-such-model");
    const [a, b] = await Promise.all([
      runCli(["classify", IMAGE, "--model", missing]),
      runCli(["classify", IMAGE, "--model", notModel])
    ]);
    expectError(a, 1, `Model not found: ${missing}`);
    expectError(
      b,
      1,
      `${notModel}: not a model (expected a folder with model.json, a model.json, or a Keras .h5 file)`
    );
  });

  it.concurrent("--backend node without @tensorflow/tfjs-node installed", async () => {
    const r = await runCli(["evaluate", "--backend", "node", "--limit", "10"]);
    expectError(
      r,
      1,
      "--backend node needs @tensorflow/tfjs-node, which is not installed (`npm install @tensorflow/tfjs-node`, needs internet). Use --backend wasm."
    );
  });

  it.concurrent("evaluate on a folder without model.json", async () => {
    const empty = join(root, "empty-model");
    mkdirSync(empty);
    const r = await runCli(["evaluate", "--model", empty]);
    expectError(r, 1, `No model at ${empty} (missing model.json); train one with \`fmnist train\`.`);
  });

  it.concurrent("export with a model that has no global average pooling layer", async () => {
    const dir = join(root, "flat-model");
    await selectBackend("cpu");
    const model = tf.sequential({
      name: "flat",
      layers: [tf.layers.flatten({inputShape: [28, 28, 1]}), tf.layers.dense({units: 10, activation: "softmax"})]
    });
    await saveModel(model, dir);
    model.dispose();
    const r = await runCli([
      "export",
      "--model",
      dir,
      "--count",
      "16",
      "--projections",
      "pca",
      "--out",
      join(root, "x")
    ]);
    expectError(
      r,
      1,
      "model flat has no GlobalAveragePooling2D layer to take embeddings from (its layers: Flatten, Dense)"
    );
  });

  it.concurrent("calibrate on a missing Keras .h5 file", async () => {
    const r = await runCli(["calibrate", "--model", join(root, "model.h5")]);
    expectError(r, 1, `Model not found: ${join(root, "model.h5")}`);
  });

  it.concurrent("logs on a folder without event files", async () => {
    const empty = join(root, "no-logs");
    mkdirSync(empty);
    const r = await runCli(["logs", empty]);
    expectError(r, 1, `${empty}: no TensorBoard event files (events.out.tfevents.*)`);
  });

  it.concurrent("train --resume on a folder that is not a run, or a run without a completed epoch", async () => {
    const notRun = join(root, "not-a-run");
    mkdirSync(notRun);
    const fresh = join(root, "fresh-run");
    mkdirSync(fresh);
    writeFileSync(
      join(fresh, "config.json"),
      JSON.stringify({epochs: 1, batchSize: 20, limit: 200, dataDir, verify: false, validation: "split"})
    );
    const [a, b] = await Promise.all([
      runCli(["train", "--resume", notRun]),
      runCli(["train", "--resume", fresh, "--no-progress"])
    ]);
    expectError(a, 1, `Cannot resume ${notRun}: it is not a run folder (no config.json)`);
    expectError(b, 1, `Cannot resume ${fresh}: no completed epoch saved (${join(fresh, "last")}/state.json missing)`);
  });

  it.concurrent("serve on a folder that does not exist, on a file, and on a port in use", async () => {
    const missing = join(root, "no-such-export");
    const file = join(root, "export.txt");
    writeFileSync(file, "x");
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as {port: number}).port;
    const exportDir = join(root, "export-ok");
    mkdirSync(exportDir);
    try {
      const [a, b, c] = await Promise.all([
        runCli(["serve", "--dir", missing, "--port", "0"]),
        runCli(["serve", "--dir", file, "--port", "0"]),
        runCli(["serve", "--dir", exportDir, "--port", String(port)])
      ]);
      expectError(
        a,
        1,
        `no export at ${missing}/: make one with \`fmnist export --out ${missing}\`, ` +
          `or run \`fmnist start --dir ${missing}\`, which exports once and serves`
      );
      expectError(
        b,
        1,
        `${file} is not a folder; pass --dir with an export folder (\`fmnist export --out DIR\` makes one)`
      );
      expectError(c, 1, `port ${port} on 127.0.0.1 is in use; pass --port N`);
    } finally {
      blocker.close();
    }
  });
});

describe("fmnist logs on damaged event files", () => {
  it("warns about a torn last record with exit 0, and about a corrupt record with exit 1", async () => {
    const run = join(root, "tb-run");
    const writer = await EventFileWriter.open(join(run, "logs", "train"), {hostname: "test"});
    writer.scalar("epoch_loss", 0.5, 1);
    writer.scalar("epoch_loss", 0.25, 2);
    await writer.close();
    const bytes = readFileSync(writer.path);
    writeFileSync(writer.path, bytes.subarray(0, bytes.length - 3));
    const torn = await runCli(["logs", run]);
    expect(torn.code, torn.stderr).toBe(0);
    expect(torn.stdout).toContain("epoch_loss");
    expect(torn.stderr).toMatch(
      /^fmnist: warning: .*: record at byte \d+: length is \d+ bytes but only \d+ follow; stopped there\n$/
    );
    const flipped = Uint8Array.from(bytes);
    flipped[flipped.length - 10] ^= 1;
    writeFileSync(writer.path, flipped);
    const corrupt = await runCli(["logs", run]);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toMatch(
      /^fmnist: warning: .*: record at byte \d+: data CRC mismatch \(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\); stopped there\n$/
    );
  }, 60_000);
});

describe("interrupted: exit 130", () => {
  it("Ctrl-C during training stops after the batch and says how to resume", async () => {
    const run = join(root, "interrupted");
    const child = spawnCli([
      "train",
      "--data-dir",
      dataDir,
      "--no-verify",
      "--limit",
      "200",
      "--batch-size",
      "20",
      "--epochs",
      "3",
      "--out",
      run,
      "--no-progress"
    ]);
    let sent = false;
    child.stderr.on("data", (chunk: Buffer | string) => {
      if (!sent && /^epoch 2\/3: 1\/9 /m.test(String(chunk))) {
        sent = true;
        child.kill("SIGINT");
      }
    });
    const r = await collect(child);
    expect(sent).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    const last = r.stderr.trim().split("\n").at(-1);
    expect(last).toBe(
      `fmnist: Interrupted during epoch 2; best checkpoint kept in ${join(run, "model")}. ` +
        `Continue with: fmnist train --resume ${run}`
    );
    expect(JSON.parse(readFileSync(join(run, "last", "state.json"), "utf8"))).toMatchObject({epoch: 1});
  }, 90_000);
});
