/**
 * Gzip bodies of served files, compressed once and kept in memory (least recently used out
 * first). Only files up to {@link GZIP_MAX_INPUT} bytes are compressed: a body can then never be
 * too large to keep, so no request pays for compressing a file again while it is unchanged and
 * in use, and nothing near Node's 2 GiB buffer limit is ever read whole.
 */
import {promisify} from "node:util";
import {gzip as gzipCallback} from "node:zlib";

const gzip = promisify(gzipCallback);

/** Largest file compressed (64 MiB: the export's biggest text file, raw_tensors.tsv, is 48 MB). */
export const GZIP_MAX_INPUT = 64 * 1024 * 1024;
/** Compressed bodies kept, in bytes, in all (room for the largest, even incompressible). */
export const GZIP_CACHE_BYTES = 128 * 1024 * 1024;

export class GzipCache {
  private readonly bodies = new Map<string, Buffer>();
  private readonly pending = new Map<string, Promise<Buffer>>();
  private bytes = 0;

  constructor(private readonly capacity = GZIP_CACHE_BYTES) {}

  /**
   * The gzip of `read()`'s bytes, cached under `key` (which must change when the file does).
   * Requests arriving while a file is being compressed wait for that compression instead of each
   * starting their own (a burst on a cold cache would otherwise compress it N times).
   */
  async get(key: string, read: () => Promise<Buffer>): Promise<Buffer> {
    const hit = this.bodies.get(key);
    if (hit) {
      this.bodies.delete(key); // re-insert: most recently used last
      this.bodies.set(key, hit);
      return hit;
    }
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.compress(key, read).finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    return pending;
  }

  private async compress(key: string, read: () => Promise<Buffer>): Promise<Buffer> {
    const body = await gzip(await read(), {level: 6});
    if (body.length > this.capacity) return body;
    for (const [oldest, value] of this.bodies) {
      if (this.bytes + body.length <= this.capacity) break;
      this.bodies.delete(oldest);
      this.bytes -= value.length;
    }
    this.bodies.set(key, body);
    this.bytes += body.length;
    return body;
  }
}
