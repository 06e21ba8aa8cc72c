/**
 * Where `fmnist serve` mounts the folders the web app reads, as URL paths relative to the app:
 * the export at projector/, a training run at runs/ and the model at model/. Isomorphic.
 */
export const MOUNTS = {projector: "projector", runs: "runs", model: "model"} as const;

export type Mount = keyof typeof MOUNTS;

/** `file` in a mounted folder, relative to the app, e.g. `projector/metadata.tsv`. */
export function mountedUrl(mount: Mount, file: string): string {
  return `${MOUNTS[mount]}/${file}`;
}
