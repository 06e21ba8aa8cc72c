/** Messages between the Classify view and the lab's worker (./labWorker.ts, ./labClient.ts). */
import type {Counterfactual} from "../../../../../src/core/viz/attribution/counterfactual.js";
import type {LabEntry} from "../../../../../src/core/viz/attribution/lab.js";
import type {HeatMap} from "../../../../../src/core/viz/cam.js";
import type {LabRun} from "./labRunner.js";

/** What both kinds of request carry: an id (a newer one of the same kind replaces it), the model and the input. */
interface RequestBase {
  id: number;
  /** Absolute URL of the model's model.json. */
  modelUrl: string;
  /** The 784 model inputs in [0, 1]. */
  input: Float32Array;
}

export type LabRequest =
  | (RequestBase & {type: "lab"; classIndex: number})
  | (RequestBase & {type: "counterfactual"; target: number; epsilon: number});

/** How the worker ran: its TF.js backend and the tensors it holds after the job (flat when nothing leaks). */
export interface WorkerFacts {
  backend: string;
  tensors: number;
}

export interface CounterfactualResult {
  result: Counterfactual;
  /** Time of the PGD search, in ms. */
  ms: number;
  /** The target's class map on the input and on the changed image. */
  before: HeatMap;
  after: HeatMap;
}

export type LabReply =
  | {type: "entry"; id: number; entry: LabEntry; index: number; total: number}
  | {type: "lab"; id: number; run: LabRun; facts: WorkerFacts}
  | {type: "counterfactual"; id: number; counterfactual: CounterfactualResult; facts: WorkerFacts}
  /** The request was replaced by a newer one before it finished. */
  | {type: "stale"; id: number}
  | {type: "error"; id: number; message: string};
