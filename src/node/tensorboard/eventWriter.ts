/**
 * Appends TensorBoard events to `DIR/events.out.tfevents.<seconds>.<hostname>` (Node only).
 * Events are framed as they are added and kept in memory until {@link EventFileWriter.flush}, which
 * appends them in one write and fsyncs: the file only ever grows by whole, CRC-checked records, so
 * a crash leaves every flushed record readable (at worst a torn tail that readers report and skip).
 */
import {mkdir, open, type FileHandle} from "node:fs/promises";
import {hostname} from "node:os";
import {join} from "node:path";

import {withPath} from "../fs/errno.js";
import {histogram} from "./histogram.js";
import {frameRecord} from "./record.js";
import {FILE_VERSION, encodeEvent, type SummaryImage, type SummaryValue, type TbEvent} from "./schema.js";

/** Options of {@link EventFileWriter.open}. */
export interface EventWriterOptions {
  /** Clock in seconds since the Unix epoch (default `Date.now() / 1000`); tests pass a fixed one. */
  now?: () => number;
  /** Host name in the file name (default `os.hostname()`). */
  hostname?: string;
}

/** Width, height and TensorBoard colorspace of a PNG, read from its IHDR chunk. */
export function pngImage(png: Uint8Array): SummaryImage {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 29 || signature.some((b, i) => png[i] !== b)) {
    throw new Error(`pngImage: expected PNG bytes (signature 89 50 4e 47), got ${png.length} bytes`);
  }
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  // PNG colour type → channels: 0 grey, 2 RGB, 3 palette (RGB), 4 grey + alpha, 6 RGBA.
  const colorspace = ({0: 1, 2: 3, 3: 3, 4: 2, 6: 4} as Record<number, number>)[png[25]] ?? 3;
  return {width: view.getUint32(16), height: view.getUint32(20), colorspace, encodedImageString: png};
}

/** One event file, opened for appending. */
export class EventFileWriter {
  private pending: Uint8Array[] = [];
  private closed = false;

  private constructor(
    /** Path of the event file. */
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly now: () => number
  ) {}

  /** Creates `dir` if needed and starts a new event file with the `brain.Event:2` version record. */
  static async open(dir: string, options: EventWriterOptions = {}): Promise<EventFileWriter> {
    const now = options.now ?? (() => Date.now() / 1000);
    await mkdir(dir, {recursive: true});
    const wallTime = now();
    const path = join(dir, `events.out.tfevents.${Math.floor(wallTime)}.${options.hostname ?? hostname()}`);
    const writer = new EventFileWriter(path, await open(path, "a"), now);
    writer.add({wallTime, step: 0, fileVersion: FILE_VERSION});
    await writer.flush();
    return writer;
  }

  /** Queues an event (written at the next flush). `wallTime` defaults to now. */
  add(event: Omit<TbEvent, "wallTime"> & {wallTime?: number}): void {
    if (this.closed) throw new Error(`${this.path}: event added after close`);
    this.pending.push(frameRecord(encodeEvent({...event, wallTime: event.wallTime ?? this.now()})));
  }

  /** Queues summary values at `step`. */
  summary(step: number, values: SummaryValue[]): void {
    this.add({step, summary: {value: values}});
  }

  /** Queues a scalar (stored as a 32-bit float, like every TensorBoard scalar). */
  scalar(tag: string, value: number, step: number): void {
    this.summary(step, [{tag, simpleValue: value}]);
  }

  /** Queues a histogram of `values` in TensorBoard's default buckets. */
  histogram(tag: string, values: ArrayLike<number>, step: number): void {
    this.summary(step, [{tag, histo: histogram(values)}]);
  }

  /** Queues a PNG image. */
  image(tag: string, png: Uint8Array, step: number): void {
    this.summary(step, [{tag, image: pngImage(png)}]);
  }

  /** Number of events queued since the last flush. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Drops the queued events (e.g. the batches of an epoch that was interrupted and will be redone). */
  discard(): void {
    this.pending = [];
  }

  /** Appends the queued events in one write and fsyncs the file. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const bytes = Buffer.concat(this.pending);
    this.pending = [];
    try {
      await this.handle.appendFile(bytes); // loops until every byte is written
      await this.handle.sync();
    } catch (error) {
      throw withPath(error, this.path); // calls on a handle report no path
    }
  }

  /** Flushes (unless `discardPending`) and closes the file. Closing twice is a no-op. */
  async close(options: {discardPending?: boolean} = {}): Promise<void> {
    if (this.closed) return;
    if (options.discardPending) this.discard();
    try {
      await this.flush();
    } finally {
      this.closed = true;
      await this.handle.close();
    }
  }
}
