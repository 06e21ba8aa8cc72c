/**
 * Web Worker: the attribution lab and the counterfactual off the page's thread, on TF.js' WASM
 * backend with its own copy of the model (loaded once), so Classify stays responsive while they
 * run. A newer request of the same kind makes the older one stop at its next break.
 */
import * as tf from "@tensorflow/tfjs";

import {forward} from "../../../../../src/core/model/forward.js";
import {counterfactual} from "../../../../../src/core/viz/attribution/counterfactual.js";
import {classMap} from "../../../../../src/core/viz/cam.js";
import {useBundledWasm} from "../../../wasmAssets.js";
import type {LabReply, LabRequest, WorkerFacts} from "./labProtocol.js";
import {nextTask, runLab} from "./labRunner.js";

const post = (reply: LabReply) => (self as unknown as Worker).postMessage(reply);
const latest = {lab: 0, counterfactual: 0};
let loaded: Promise<tf.LayersModel> | undefined;

async function start(url: string): Promise<tf.LayersModel> {
  useBundledWasm();
  tf.enableProdMode();
  if (!(await tf.setBackend("wasm").catch(() => false))) await tf.setBackend("cpu");
  await tf.ready();
  backend = await describeBackend();
  return tf.loadLayersModel(url);
}

let backend = "";

/** "wasm (SIMD, 1 thread)": threads need a cross-origin isolated page. */
async function describeBackend(): Promise<string> {
  const name = tf.getBackend();
  if (name !== "wasm") return name;
  const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
  const threads = (await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT")) && self.crossOriginIsolated;
  return `wasm (${simd ? "SIMD" : "no SIMD"}, ${threads ? "threads" : "1 thread"})`;
}

const facts = (): WorkerFacts => ({backend, tensors: tf.memory().numTensors});

async function handle(request: LabRequest): Promise<LabReply> {
  loaded ??= start(request.modelUrl).catch((error: unknown) => {
    loaded = undefined; // a failed start is tried again with the next request
    throw error;
  });
  const model = await loaded;
  const stale = () => request.id !== latest[request.type];
  if (stale()) return {type: "stale", id: request.id};
  const pass = forward(model, request.input);
  if (request.type === "lab") {
    const run = await runLab(model, pass, request.input, request.classIndex, {
      isStale: stale,
      onEntry: (entry, index, total) => post({type: "entry", id: request.id, entry, index, total})
    });
    return run ? {type: "lab", id: request.id, run, facts: facts()} : {type: "stale", id: request.id};
  }
  const t0 = performance.now();
  const result = counterfactual(model, request.input, request.target, {epsilon: request.epsilon});
  const ms = performance.now() - t0;
  await nextTask();
  if (stale()) return {type: "stale", id: request.id};
  const before = classMap(model, pass, request.target);
  const after = classMap(model, forward(model, result.image), request.target);
  return {type: "counterfactual", id: request.id, counterfactual: {result, ms, before, after}, facts: facts()};
}

self.onmessage = (event: MessageEvent<LabRequest>) => {
  const request = event.data;
  latest[request.type] = request.id;
  handle(request).then(post, (error: unknown) => {
    post({type: "error", id: request.id, message: error instanceof Error ? error.message : String(error)});
  });
};
