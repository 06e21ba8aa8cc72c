/**
 * The page's side of the lab's worker (./labWorker.ts): started on the first request, ended with
 * the view. Each kind of request (lab, counterfactual) keeps only its latest: a new one settles the
 * one before as undefined, and so does a reply that arrives for a replaced request.
 */
import type {LabEntry} from "../../../../../src/core/viz/attribution/lab.js";
import {mountedUrl} from "../../../../../src/core/formats/mounts.js";
import type {CounterfactualResult, LabReply, LabRequest, WorkerFacts} from "./labProtocol.js";
import type {LabRun} from "./labRunner.js";

export interface LabClient {
  /** Every method for `classIndex`; `onEntry` gets each map as it comes. Undefined when replaced. */
  lab(
    input: Float32Array,
    classIndex: number,
    onEntry: (entry: LabEntry, index: number, total: number) => void
  ): Promise<{run: LabRun; facts: WorkerFacts} | undefined>;
  /** Targeted PGD towards `target` within `epsilon`. Undefined when replaced. */
  counterfactual(
    input: Float32Array,
    target: number,
    epsilon: number
  ): Promise<{counterfactual: CounterfactualResult; facts: WorkerFacts} | undefined>;
}

interface Pending {
  kind: LabRequest["type"];
  settle(reply: LabReply | undefined): void;
  onEntry?: (entry: LabEntry, index: number, total: number) => void;
}

/** A client whose worker ends when `signal` aborts (the view is left). */
export function labClient(signal: AbortSignal): LabClient {
  let worker: Worker | undefined;
  let nextId = 0;
  const pending = new Map<number, Pending>();
  const modelUrl = new URL(mountedUrl("model", "model.json"), location.href).href;

  const failAll = (message: string) => {
    for (const [id, p] of pending) p.settle({type: "error", id, message});
    pending.clear();
  };
  const started = (): Worker => {
    if (worker) return worker;
    const w = new Worker(new URL("./labWorker.ts", import.meta.url), {type: "module"});
    w.onmessage = (event: MessageEvent<LabReply>) => {
      const reply = event.data;
      const p = pending.get(reply.id);
      if (!p) return;
      if (reply.type === "entry") p.onEntry?.(reply.entry, reply.index, reply.total);
      else {
        pending.delete(reply.id);
        p.settle(reply);
      }
    };
    w.onerror = (event) => failAll(event.message || "the lab's worker failed to start");
    signal.addEventListener("abort", () => {
      w.terminate();
      failAll("the view was left");
    });
    worker = w;
    return w;
  };
  const send = (request: LabRequest, onEntry?: Pending["onEntry"]): Promise<LabReply | undefined> => {
    for (const [id, p] of pending) {
      if (p.kind !== request.type) continue;
      pending.delete(id);
      p.settle(undefined); // replaced: the worker stops it at its next break
    }
    return new Promise((settle) => {
      pending.set(request.id, {kind: request.type, settle, onEntry});
      started().postMessage(request);
    });
  };
  const outcome = <T extends LabReply["type"]>(reply: LabReply | undefined, type: T) => {
    if (!reply || reply.type === "stale") return undefined;
    if (reply.type === "error") throw new Error(reply.message);
    return reply.type === type ? (reply as Extract<LabReply, {type: T}>) : undefined;
  };
  return {
    async lab(input, classIndex, onEntry) {
      const reply = await send({type: "lab", id: ++nextId, modelUrl, input, classIndex}, onEntry);
      return outcome(reply, "lab");
    },
    async counterfactual(input, target, epsilon) {
      const reply = await send({type: "counterfactual", id: ++nextId, modelUrl, input, target, epsilon});
      return outcome(reply, "counterfactual");
    }
  };
}
