/**
 * Bring your own model (issue 17 item 6) in Chromium: the original project's Keras .h5 and a TF.js
 * model folder dropped into the Model view classify in Classify; a file that is not a model and a
 * model that is not a 28×28×1 classifier get a sentence saying so; "Back to the shipped model".
 */
import {mkdtempSync, readdirSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {DEFAULT_MODEL_DIR} from "../../src/node/model/defaultModel.js";
import {saveModel} from "../../src/node/model/io.js";
import {openApp, screenshot, type AppSession} from "./browser.js";

const SEED_H5 = "../shared/keras/seed-model.h5";
const STATUS = '[data-testid="user-model-status"]';
const ERROR = '[data-testid="user-model-error"]';
const UNCALIBRATED = '.results-column p:has-text("no out-of-distribution statistics")';

let app: AppSession;
const scratch = mkdtempSync(join(tmpdir(), "fmnist-user-model-"));
beforeAll(async () => {
  app = await openApp({query: "?backend=wasm"});
});
afterAll(async () => {
  await app?.close();
  rmSync(scratch, {recursive: true, force: true});
});

async function openModelView(): Promise<void> {
  await app.page.goto(`${app.url}#/model`);
  await app.page.waitForSelector("#model-file-input", {state: "attached", timeout: 90_000});
}

async function bring(paths: string[]): Promise<void> {
  await app.page.setInputFiles("#model-file-input", paths);
}

/** Opens test image `index` in Classify and returns the prediction's text. */
async function classifyTest(index: number): Promise<string> {
  await app.page.goto(`${app.url}#/classify?test=${index}`);
  await app.page.waitForFunction(
    () => (document.querySelector('[data-testid="prediction"]')?.textContent ?? "—") !== "—",
    undefined,
    {timeout: 90_000}
  );
  return (await app.page.textContent('[data-testid="prediction"]')) ?? "";
}

describe("bring your own model", () => {
  it("runs the original project's Keras .h5 in Classify and the Model view", async () => {
    await openModelView();
    const shippedSummary = await app.page.textContent("h1 + p");
    await bring([SEED_H5]);
    await app.page.waitForSelector(`${STATUS}:has-text("runs your model, seed-model.h5")`, {timeout: 90_000});
    // The Model view re-rendered on the new model: another layer list.
    expect(await app.page.textContent("h1 + p")).not.toBe(shippedSummary);
    await screenshot(app.page, "user-model");
    expect(await classifyTest(0)).toMatch(/Ankle boot/);
    expect(await app.page.textContent('[data-testid="user-model-note"]')).toMatch(/seed-model\.h5/);
    expect(await app.page.isVisible(UNCALIBRATED)).toBe(true); // no statistics came with the .h5
    // The nearest training images come from the user's model's embeddings.
    await app.page.waitForSelector('[data-testid="nearest-panel"][data-shown] .near-tile', {timeout: 120_000});
  });

  it("says what is wrong with a file that is not a model, and keeps the model in use", async () => {
    await openModelView();
    await bring(["sample_images/sneaker.jpg"]);
    await app.page.waitForSelector(`${ERROR}:not([hidden])`);
    expect(await app.page.textContent(ERROR)).toMatch(/drop one Keras \.h5 file, or a TF\.js model\.json/);
    expect(await app.page.textContent(STATUS)).toMatch(/Still running your model, seed-model\.h5/);
  });

  it("refuses a model that is not a 28x28x1 classifier into 10 classes", async () => {
    const dir = join(scratch, "regressor");
    const model = tf.sequential({layers: [tf.layers.dense({inputShape: [32], units: 3})]});
    await saveModel(model, dir);
    model.dispose();
    await openModelView();
    await bring(readdirSync(dir).map((f) => join(dir, f)));
    await app.page.waitForSelector(`${ERROR}:not([hidden])`);
    expect(await app.page.textContent(ERROR)).toMatch(
      /is not an image classifier of 28×28 grey images.*input is \[batch, 32\].*output \[batch, 3\]/
    );
  });

  it("takes a TF.js model.json with its weights, and goes back to the shipped model", async () => {
    await openModelView();
    // The whole folder, as a user would drop it: metadata.json is ignored, ood-stats.bin comes along.
    const folder = readdirSync(DEFAULT_MODEL_DIR).filter((f) => f !== "run");
    await bring(folder.map((f) => join(DEFAULT_MODEL_DIR, f)));
    await app.page.waitForSelector(`${STATUS}:has-text("runs your model, model.json")`, {timeout: 90_000});
    expect(await classifyTest(1)).toMatch(/Pullover/);
    // Its out-of-distribution statistics came along: the results panel does not call it uncalibrated.
    expect(await app.page.isVisible(UNCALIBRATED)).toBe(false);
    await openModelView();
    await app.page.click('[data-testid="served-model"]');
    await app.page.waitForSelector(`${STATUS}:has-text("The views run the shipped model")`);
    expect(await classifyTest(0)).toMatch(/Ankle boot/);
    expect(await app.page.$('[data-testid="user-model-note"]')).toBeNull();
    expect(app.errors).toEqual([]);
  });
});
