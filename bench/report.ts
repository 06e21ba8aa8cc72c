/** Derived figures and the human-readable report. */

/** Training images per epoch (60,000 minus the 6,000 held out for validation) and validation images. */
export const EPOCH_TRAIN_IMAGES = 54_000;
export const EPOCH_VALIDATION_IMAGES = 6_000;
export const TRAIN_BATCH = 128;
export const SCALING_BATCHES = [32, 64, 128, 256] as const;
export type ScalingBatch = `${(typeof SCALING_BATCHES)[number]}`;

export interface OursResult {
  backend: string;
  /** WASM threads in use; null for backends that manage their own pool. */
  threads: number | null;
  trainStepMs: number;
  predictMs: number;
  predict256Ms: number;
  predict1Ms: number;
  trainImagesPerS: number;
  epochSecondsEstimate: number;
  /** Median train-step milliseconds by batch size. */
  scaling: Record<ScalingBatch, number>;
}

export interface PeerResult {
  trainStepMs: number;
  predictMs: number;
  predict256Ms: number;
}

export interface PeerInfo {
  version: string;
  threads: number;
}

export interface Ratio {
  train: number;
  predict: number;
  predict256: number;
}

export interface BenchReport {
  ours: OursResult;
  peer: PeerResult | null;
  ratio: Ratio | null;
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

/** Our throughput over the peer's: above 1 means faster than PyTorch. */
export function ratios(ours: OursResult, peer: PeerResult): Ratio {
  return {
    train: round(peer.trainStepMs / ours.trainStepMs, 3),
    predict: round(peer.predictMs / ours.predictMs, 3),
    predict256: round(peer.predict256Ms / ours.predict256Ms, 3)
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

function ratioText(r: number): string {
  return `${r.toFixed(2)}x`;
}

/** The human-readable report: an aligned table of ours vs the peer, then the scaling line. */
export function formatReport(report: BenchReport, peerInfo: PeerInfo | null, steps: number): string {
  const {ours, peer, ratio} = report;
  const peerEpoch = peer ? epochSeconds(peer.trainStepMs, peer.predict256Ms) : undefined;
  const rows: string[][] = [
    ["", "ours", "pytorch", "ratio"],
    [
      "train step (batch 128)",
      ms(ours.trainStepMs),
      peer ? ms(peer.trainStepMs) : "-",
      ratio ? ratioText(ratio.train) : "-"
    ],
    [
      "train images/s",
      ours.trainImagesPerS.toFixed(0),
      peer ? imagesPerSecond(TRAIN_BATCH, peer.trainStepMs).toFixed(0) : "-",
      ratio ? ratioText(ratio.train) : "-"
    ],
    [
      "predict (batch 128)",
      ms(ours.predictMs),
      peer ? ms(peer.predictMs) : "-",
      ratio ? ratioText(ratio.predict) : "-"
    ],
    [
      "predict (batch 256)",
      ms(ours.predict256Ms),
      peer ? ms(peer.predict256Ms) : "-",
      ratio ? ratioText(ratio.predict256) : "-"
    ],
    ["predict (batch 1)", ms(ours.predict1Ms), "-", "-"],
    [
      "predict images/s (256)",
      imagesPerSecond(256, ours.predict256Ms).toFixed(0),
      peer ? imagesPerSecond(256, peer.predict256Ms).toFixed(0) : "-",
      ratio ? ratioText(ratio.predict256) : "-"
    ],
    [
      "epoch estimate",
      duration(ours.epochSecondsEstimate),
      peerEpoch === undefined ? "-" : duration(peerEpoch),
      peerEpoch === undefined ? "-" : ratioText(peerEpoch / ours.epochSecondsEstimate)
    ]
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const table = rows.map((row) =>
    row
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join("   ")
      .trimEnd()
  );
  const threads = ours.threads === null ? "" : `, ${ours.threads} thread${ours.threads === 1 ? "" : "s"}`;
  const peerLine = peerInfo
    ? `pytorch ${peerInfo.version}, ${peerInfo.threads} thread${peerInfo.threads === 1 ? "" : "s"}`
    : "pytorch: skipped";
  const scaling = SCALING_BATCHES.map((b) => {
    const t = ours.scaling[`${b}`];
    return `${b}: ${t.toFixed(0)} ms (${imagesPerSecond(b, t).toFixed(0)} img/s)`;
  }).join(", ");
  return [
    `ours: tfjs ${ours.backend}${threads}; ${peerLine}; median of ${steps} timed step${steps === 1 ? "" : "s"}`,
    "",
    ...table,
    "",
    `scaling, train step by batch: ${scaling}`,
    `epoch estimate: ${EPOCH_TRAIN_IMAGES.toLocaleString("en")} training images at batch ${TRAIN_BATCH} + ` +
      `${EPOCH_VALIDATION_IMAGES.toLocaleString("en")} validation predictions at batch 256; ratio > 1: faster than pytorch`
  ].join("\n");
}
