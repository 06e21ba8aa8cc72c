/** The report of `npm run bench -- --embed`: its JSON shape, the ratios and the table. */
import type {EmbedEntry} from "./embedOurs.js";

/** Keys name the step and the size: tsne10k, umap2500, rtsne10k, sklearnTsne70k … */
export interface EmbedReport {
  ours: Record<string, EmbedEntry | null>;
  peers: Record<string, EmbedEntry | null>;
  /** Best peer's seconds over ours at 10,000 points (above 1: we are faster); null without a peer. */
  ratio: {tsne: number | null; umap: number | null};
  machine: {cpus: number; loadStart: number; loadEnd: number; peakRssMb: number};
  versions: Record<string, string>;
}

/** "2500", "10k" or "70k": the size part of a key. */
export function sizeKey(n: number): string {
  return n % 1000 === 0 && n >= 10_000 ? `${n / 1000}k` : `${n}`;
}

/** Best (lowest) peer seconds over ours; null when either side is missing. */
export function ratioOf(ours: EmbedEntry | null | undefined, peers: (EmbedEntry | null | undefined)[]): number | null {
  const times = peers.filter((p): p is EmbedEntry => !!p).map((p) => p.seconds);
  if (!ours || times.length === 0) return null;
  return round(Math.min(...times) / ours.seconds, 3);
}

export function round(v: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** An entry with rounded numbers. */
export function entry(seconds: number, cores: number, quality: Partial<EmbedEntry> = {}): EmbedEntry {
  const q = (v: number | null | undefined) => (v === null || v === undefined ? null : round(v, 4));
  return {
    seconds: round(seconds, 2),
    cores: round(cores, 2),
    trustworthiness: q(quality.trustworthiness),
    knnAccuracy: q(quality.knnAccuracy)
  };
}

/** The human-readable table: one line per measured step. */
export function formatEmbedReport(report: EmbedReport): string {
  const lines = [`step               seconds  cores  trustworthiness  10-NN accuracy`];
  const row = (name: string, e: EmbedEntry | null) =>
    e === null
      ? `${name.padEnd(18)} (not run)`
      : `${name.padEnd(18)} ${e.seconds.toFixed(2).padStart(7)}  ${e.cores.toFixed(2).padStart(5)}  ${
          e.trustworthiness === null ? "-".padStart(15) : e.trustworthiness.toFixed(4).padStart(15)
        }  ${e.knnAccuracy === null ? "-".padStart(14) : `${(100 * e.knnAccuracy).toFixed(1)} %`.padStart(14)}`;
  for (const [name, e] of Object.entries(report.ours)) lines.push(row(`ours ${name}`, e));
  for (const [name, e] of Object.entries(report.peers)) lines.push(row(name, e));
  const r = (v: number | null) => (v === null ? "-" : v.toFixed(2));
  lines.push(
    `ratio at 10,000 (best peer's seconds / ours): t-SNE ${r(report.ratio.tsne)}, UMAP ${r(report.ratio.umap)}`
  );
  const m = report.machine;
  lines.push(`${m.cpus} cores, load ${m.loadStart} -> ${m.loadEnd}, peak RSS ${m.peakRssMb} MB`);
  return lines.join("\n");
}
