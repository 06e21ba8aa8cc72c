/**
 * Reading a file whose size decides how much memory we allocate, safely: it must be a regular file
 * (a symbolic link to /dev/zero or a FIFO would be read forever or block forever) no larger than
 * a limit the caller knows, and only the size `fstat` reported is read, so a file that grows while
 * it is read cannot make us allocate more. Node only.
 */
import {constants, type Stats} from "node:fs";
import {open} from "node:fs/promises";

import {FormatError} from "../../core/errors.js";
import {withPath} from "./errno.js";

const MIB = 1024 * 1024;

/** Describes a file that is not a regular one. */
function kindOf(info: Stats): string {
  if (info.isDirectory()) return "a folder";
  if (info.isFIFO()) return "a FIFO";
  if (info.isCharacterDevice() || info.isBlockDevice()) return "a device";
  if (info.isSocket()) return "a socket";
  return "not a regular file";
}

/** Formats a byte count for messages. */
export function formatBytes(n: number): string {
  return n >= MIB ? `${(n / MIB).toFixed(1)} MiB` : `${n} bytes`;
}

/**
 * Reads `path`, which must be a regular file of at most `maxBytes` (a {@link FormatError}
 * otherwise, naming `what` it should have been). Errors of the file system (ENOENT, EACCES, …)
 * are thrown as they are, with the path.
 */
export async function readRegularFile(path: string, maxBytes: number, what = "file"): Promise<Buffer> {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer; a regular file ignores it.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new FormatError(`${path}: ${kindOf(info)}, not a ${what}; refusing to read it`);
    if (info.size > maxBytes) {
      throw new FormatError(
        `${path}: ${formatBytes(info.size)}, over the ${formatBytes(maxBytes)} limit for a ${what}`
      );
    }
    const buffer = Buffer.alloc(info.size);
    let offset = 0;
    while (offset < info.size) {
      const {bytesRead} = await handle.read(buffer, offset, info.size - offset, offset);
      if (bytesRead === 0) break; // truncated meanwhile
      offset += bytesRead;
    }
    return offset === info.size ? buffer : buffer.subarray(0, offset);
  } catch (error) {
    throw withPath(error, path);
  } finally {
    await handle.close();
  }
}

/** {@link readRegularFile} as UTF-8 text. */
export async function readRegularTextFile(path: string, maxBytes: number, what = "file"): Promise<string> {
  return (await readRegularFile(path, maxBytes, what)).toString("utf8");
}
