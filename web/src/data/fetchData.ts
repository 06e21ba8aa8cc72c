/** Fetching the app's data files (all from this server) with errors that say what to do. */
import {MOUNTS} from "../../../src/core/formats/mounts.js";

/** A data file is missing or unreadable; `hint` tells the user how to make it. */
export class DataError extends Error {
  constructor(
    message: string,
    readonly hint: string
  ) {
    super(message);
    this.name = "DataError";
  }
}

const HINTS: Record<string, string> = {
  [`${MOUNTS.projector}/`]:
    "Make the export with `fmnist export --out projector` (npm start does it once), then reload.",
  [`${MOUNTS.model}/`]: "Serve a TF.js model folder with `fmnist serve --model DIR`.",
  [`${MOUNTS.runs}/`]:
    "Serve a training run with `fmnist serve --run DIR` (a folder written by `fmnist train --out DIR`)."
};

function hintFor(url: string): string {
  const found = Object.entries(HINTS).find(([prefix]) => url.startsWith(prefix));
  return found ? found[1] : "Check that `fmnist serve` is running.";
}

export async function fetchOk(url: string, init?: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new DataError(`cannot reach the server for ${url}: ${(error as Error).message}`, hintFor(url));
  }
  if (!response.ok) throw new DataError(`${url}: HTTP ${response.status}`, hintFor(url));
  return response;
}

export async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetchOk(url);
  try {
    return (await response.json()) as T;
  } catch {
    throw new DataError(`${url} is not valid JSON`, hintFor(url));
  }
}

export async function fetchText(url: string, init?: RequestInit): Promise<string> {
  return (await fetchOk(url, init)).text();
}

export async function fetchBytes(url: string): Promise<Uint8Array> {
  return new Uint8Array(await (await fetchOk(url)).arrayBuffer());
}

export async function fetchFloat32(url: string): Promise<Float32Array> {
  const buffer = await (await fetchOk(url)).arrayBuffer();
  if (buffer.byteLength % 4 !== 0) throw new DataError(`${url} is not a float32 array`, hintFor(url));
  return new Float32Array(buffer);
}

/** Loads an image file into its grey pixel bytes (the red channel of the decoded RGBA). */
export async function fetchGreyImage(url: string): Promise<{width: number; height: number; grey: Uint8Array}> {
  const blob = await (await fetchOk(url)).blob();
  const bitmap = await createImageBitmap(blob);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext("2d");
  if (!context) throw new DataError("this browser gives no 2-D canvas", "Use a current Chromium or Firefox.");
  context.drawImage(bitmap, 0, 0);
  const rgba = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
  const grey = new Uint8Array(bitmap.width * bitmap.height);
  for (let i = 0; i < grey.length; i++) grey[i] = rgba[i * 4];
  return {width: bitmap.width, height: bitmap.height, grey};
}

/** `load`, run on the first call and shared by later ones; a failed load is retried on the next call. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => {
    cached ??= load().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    return cached;
  };
}
