/** Derived figures and the human-readable report. */
import type {SoakResult} from "./soak.js";
import {median} from "./timing.js";

/** Training images per epoch (60,000 minus the 6,000 held out for validation) and validation images. */
export const EPOCH_TRAIN_IMAGES = 54_000;
export const EPOCH_VALIDATION_IMAGES = 6_000;
export const TRAIN_BATCH = 128;
export const SCALING_BATCHES = [32, 64, 128, 256] as const;
export type ScalingBatch = `${(typeof SCALING_BATCHES)[number]}`;

/** Wall time of several cold `classify` processes. */
export interface ColdStart {
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}

/** What is measured on both sides: ours and the PyTorch peer. */
export interface PeerResult {
  trainStepMs: number;
  predictMs: number;
  predict256Ms: number;
  predict1Ms: number;
  trainImagesPerS: number;
  predict256ImagesPerS: number;
  predict1ImagesPerS: number;
  /** Median train-step milliseconds by batch size. */
  scaling: Record<ScalingBatch, number>;
}

export interface OursResult extends PeerResult {
  backend: string;
  /** WASM threads in use; null for backends that manage their own pool. */
  threads: number | null;
  epochSecondsEstimate: number;
  /** `node dist/cli/fmnist.js classify <image>` from spawn to exit; null when not measured. */
  coldClassify: ColdStart | null;
}

export interface PeerInfo {
  version: string;
  threads: number;
}

/** Our throughput over the peer's (equivalently, the peer's time over ours): above 1 means faster than PyTorch. */
export interface Ratio {
  train: number;
  predict: number;
  predict256: number;
  predict1: number;
  /** Train-step ratio by batch size. */
  scaling: Record<ScalingBatch, number>;
}

/** Conditions of the run: other processes on the cores make every figure slower and noisier. */
export interface MachineLoad {
  cpus: number;
  /** 1-minute load averages when the bench started and when it ended. */
  loadStart: number;
  loadEnd: number;
}

export interface BenchReport {
  ours: OursResult;
  peer: PeerResult | null;
  ratio: Ratio | null;
  /** Absent in reports made before it was recorded. */
  machine?: MachineLoad;
  /** The memory soak, with --soak. */
  soak?: SoakResult | null;
}

/**
 * A warning when other processes kept the cores busy: a 1-minute load average above the core count
 * at the start, or above twice the core count at the end (where the bench's own threads, one per
 * core, are part of the figure).
 */
export function loadWarning(machine: MachineLoad | undefined): string | null {
  if (!machine) return null;
  const worst = Math.max(machine.loadStart, machine.loadEnd - machine.cpus);
  if (worst <= machine.cpus) return null;
  return (
    `warning: load average ${Math.max(machine.loadStart, machine.loadEnd).toFixed(1)} on ${machine.cpus} cores: other processes competed for the CPU; ` +
    "times are inflated and ratios skewed (PyTorch's OpenMP threads suffer more than ours), rerun on a quiet machine"
  );
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Images per second at `batch` images per `ms` milliseconds. */
export function imagesPerSecond(batch: number, ms: number): number {
  return (batch * 1000) / ms;
}

/** One epoch: 54,000 training images at batch 128, then 6,000 validation predictions at batch 256. */
export function epochSeconds(trainStepMs: number, predict256Ms: number): number {
  return ((EPOCH_TRAIN_IMAGES / TRAIN_BATCH) * trainStepMs + (EPOCH_VALIDATION_IMAGES / 256) * predict256Ms) / 1000;
}

/** Median, minimum and maximum of a non-empty list of wall times. */
export function coldStart(times: readonly number[]): ColdStart {
  return {
    runs: times.length,
    medianMs: round(median(times)),
    minMs: round(Math.min(...times)),
    maxMs: round(Math.max(...times))
  };
}

/** The peer's time over ours, i.e. our throughput over the peer's: above 1 means faster than PyTorch. */
export function speedRatio(oursMs: number, peerMs: number): number {
  return round(peerMs / oursMs, 3);
}

/** Our throughput over the peer's for every shared measurement. */
export function ratios(ours: OursResult, peer: PeerResult): Ratio {
  const scaling = {} as Record<ScalingBatch, number>;
  for (const b of SCALING_BATCHES) scaling[`${b}`] = speedRatio(ours.scaling[`${b}`], peer.scaling[`${b}`]);
  return {
    train: speedRatio(ours.trainStepMs, peer.trainStepMs),
    predict: speedRatio(ours.predictMs, peer.predictMs),
    predict256: speedRatio(ours.predict256Ms, peer.predict256Ms),
    predict1: speedRatio(ours.predict1Ms, peer.predict1Ms),
    scaling
  };
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.round(seconds - m * 60)} s`;
}

function ratioText(r: number | undefined): string {
  return r === undefined ? "-" : `${r.toFixed(2)}x`;
}

function perS(value: number): string {
  return value.toFixed(0);
}

function alignedTable(rows: readonly string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows.map((row) =>
    row
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join("   ")
      .trimEnd()
  );
}

/** The table's rows measured on both sides: label, field, how it is shown, and the ratio that compares it. */
const MEASURED_ROWS: [
  string,
  Exclude<keyof PeerResult, "scaling">,
  (value: number) => string,
  Exclude<keyof Ratio, "scaling">
][] = [
  ["train images/s (batch 128)", "trainImagesPerS", perS, "train"],
  ["train step (batch 128)", "trainStepMs", ms, "train"],
  ["predict images/s (batch 256)", "predict256ImagesPerS", perS, "predict256"],
  ["predict (batch 256)", "predict256Ms", ms, "predict256"],
  ["predict (batch 128)", "predictMs", ms, "predict"],
  ["predict images/s (batch 1)", "predict1ImagesPerS", perS, "predict1"],
  ["predict (batch 1)", "predict1Ms", ms, "predict1"]
];

/** The human-readable report: an aligned table of ours vs the peer, then the scaling lines. */
export function formatReport(report: BenchReport, peerInfo: PeerInfo | null, steps: number): string {
  const {ours, peer, ratio} = report;
  const peerEpoch = peer ? epochSeconds(peer.trainStepMs, peer.predict256Ms) : undefined;
  const row = (label: string, o: string, p: string | null | undefined, r: number | undefined): string[] => [
    label,
    o,
    p ?? "-",
    ratioText(r)
  ];
  const cold = ours.coldClassify;
  const rows: string[][] = [
    ["", "ours", "pytorch", "ratio"],
    ...MEASURED_ROWS.map(([label, field, show, r]) =>
      row(label, show(ours[field]), peer && show(peer[field]), ratio?.[r])
    ),
    row("cold classify, 1 image", cold ? `${ms(cold.medianMs)}` : "-", undefined, undefined),
    row(
      "epoch estimate",
      duration(ours.epochSecondsEstimate),
      peerEpoch === undefined ? undefined : duration(peerEpoch),
      peerEpoch === undefined ? undefined : peerEpoch / ours.epochSecondsEstimate
    )
  ];
  const threads = ours.threads === null ? "" : `, ${ours.threads} thread${ours.threads === 1 ? "" : "s"}`;
  const peerLine = peerInfo
    ? `pytorch ${peerInfo.version}, ${peerInfo.threads} thread${peerInfo.threads === 1 ? "" : "s"}`
    : "pytorch: skipped";
  const scalingOf = (times: Record<ScalingBatch, number>): string =>
    SCALING_BATCHES.map(
      (b) => `${b}: ${times[`${b}`].toFixed(0)} ms (${perS(imagesPerSecond(b, times[`${b}`]))} img/s)`
    ).join(", ");
  const load = report.machine
    ? `; load average ${report.machine.loadStart.toFixed(1)} -> ${report.machine.loadEnd.toFixed(1)} on ${report.machine.cpus} cores`
    : "";
  const lines = [
    `ours: tfjs ${ours.backend}${threads}; ${peerLine}; median of ${steps} timed step${steps === 1 ? "" : "s"}${load}`,
    "",
    ...alignedTable(rows),
    "",
    `scaling, train step by batch (ours):    ${scalingOf(ours.scaling)}`
  ];
  if (peer && ratio) {
    lines.push(`scaling, train step by batch (pytorch): ${scalingOf(peer.scaling)}`);
    lines.push(
      `scaling, ratio by batch: ${SCALING_BATCHES.map((b) => `${b}: ${ratioText(ratio.scaling[`${b}`])}`).join(", ")}`
    );
  }
  if (cold) {
    lines.push(
      `cold classify: \`node dist/cli/fmnist.js classify\` on one image, median of ${cold.runs} ` +
        `(min ${ms(cold.minMs)}, max ${ms(cold.maxMs)})`
    );
  }
  const warning = loadWarning(report.machine);
  if (warning) lines.push(warning);
  lines.push(
    `epoch estimate: ${EPOCH_TRAIN_IMAGES.toLocaleString("en")} training images at batch ${TRAIN_BATCH} + ` +
      `${EPOCH_VALIDATION_IMAGES.toLocaleString("en")} validation predictions at batch 256; ratio > 1: faster than pytorch`
  );
  return lines.join("\n");
}
