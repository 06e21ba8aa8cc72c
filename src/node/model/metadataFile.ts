/** Reading and writing a model folder's metadata.json (the format: ../../core/formats/metadata.ts). */
import {readFile} from "node:fs/promises";
import {join} from "node:path";

import {isEnoent} from "../fs/errno.js";
import {METADATA_FILE, serialiseMetadata, type ModelMetadata} from "../../core/formats/metadata.js";
import {writeFileAtomic} from "../fs/atomicFile.js";

export async function writeMetadata(dir: string, metadata: ModelMetadata): Promise<void> {
  await writeFileAtomic(join(dir, METADATA_FILE), serialiseMetadata(metadata));
}

/** Reads `dir/metadata.json`, or returns undefined when there is none. */
export async function readMetadata(dir: string): Promise<ModelMetadata | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, METADATA_FILE), "utf8")) as ModelMetadata;
  } catch (error) {
    if (isEnoent(error)) return undefined;
    throw error;
  }
}
