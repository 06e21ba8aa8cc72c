/** Reading and writing a model folder's metadata.json (the format: ../../core/formats/metadata.ts). */
import {join} from "node:path";

import {
  MAX_METADATA_BYTES,
  METADATA_FILE,
  parseMetadataJson,
  serialiseMetadata,
  type ModelMetadata
} from "../../core/formats/metadata.js";
import {writeFileAtomic} from "../fs/atomicFile.js";
import {isEnoent} from "../fs/errno.js";
import {readRegularTextFile} from "../fs/readRegularFile.js";

export async function writeMetadata(dir: string, metadata: ModelMetadata): Promise<void> {
  await writeFileAtomic(join(dir, METADATA_FILE), serialiseMetadata(metadata));
}

/**
 * Reads and validates `dir/metadata.json`, or returns undefined when there is none. A damaged file
 * is a FormatError naming the wrong field.
 */
export async function readMetadata(dir: string): Promise<ModelMetadata | undefined> {
  const path = join(dir, METADATA_FILE);
  let text: string;
  try {
    text = await readRegularTextFile(path, MAX_METADATA_BYTES, METADATA_FILE);
  } catch (error) {
    if (isEnoent(error)) return undefined;
    throw error;
  }
  return parseMetadataJson(text, path);
}
