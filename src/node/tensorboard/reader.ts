/**
 * Reads TensorBoard event files: verifies both CRCs of every record, decodes every event, and stops
 * cleanly at the first bad record, reporting its byte offset. Used by the tests and `fmnist logs`.
 * {@link parseEventFile} is pure; the read functions use the file system.
 */
import {readdir} from "node:fs/promises";
import {join} from "node:path";

import {isEnoent} from "../fs/errno.js";
import {readRegularFile} from "../fs/readRegularFile.js";
import {scanRecords, type RecordError} from "./record.js";
import {decodeEvent, type TbEvent} from "./schema.js";

/** An event and the byte offset of its record. */
export interface EventRecord {
  offset: number;
  event: TbEvent;
}

/** The readable part of one event file. */
export interface EventFileContents {
  /** Path of the file ("" when parsed from bytes). */
  path: string;
  /** Every event before the first bad record. */
  events: EventRecord[];
  /** The first bad record, if any; nothing after it was read. */
  error?: RecordError;
}

/** Decodes every record of an event file held in memory. */
export function parseEventFile(bytes: Uint8Array, path = ""): EventFileContents {
  const scan = scanRecords(bytes);
  const events: EventRecord[] = [];
  for (const record of scan.records) {
    try {
      events.push({offset: record.offset, event: decodeEvent(record.data)});
    } catch (error) {
      const message = `record at byte ${record.offset}: not an Event message (${(error as Error).message})`;
      return {path, events, error: {offset: record.offset, kind: "decode", message}};
    }
  }
  return scan.error ? {path, events, error: scan.error} : {path, events};
}

/** Largest event file read (a 30-epoch run with weight histograms writes a few MB). */
export const MAX_EVENT_FILE_BYTES = 1024 * 1024 * 1024;

/** Reads and decodes one event file (a regular file only: never a FIFO or a device). */
export async function readEventFile(path: string): Promise<EventFileContents> {
  return parseEventFile(
    new Uint8Array(await readRegularFile(path, MAX_EVENT_FILE_BYTES, "TensorBoard event file")),
    path
  );
}

/** The event files directly inside `dir`, in name (hence creation-time) order; none if `dir` is missing. */
export async function listEventFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (isEnoent(error)) return [];
    throw error;
  }
  return names
    .filter((n) => n.startsWith("events.out.tfevents."))
    .sort()
    .map((n) => join(dir, n));
}

/** A TensorBoard "run": a folder of event files such as `logs/train`. */
export interface LogRun {
  /** Folder name relative to the log folder ("." for the log folder itself). */
  name: string;
  files: EventFileContents[];
}

/** Reads every event file in `logDir` and its direct subfolders (TensorBoard's runs). */
export async function readLogDir(logDir: string): Promise<LogRun[]> {
  const entries = await readdir(logDir, {withFileTypes: true});
  const names = [
    ".",
    ...entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort()
  ];
  const runs: LogRun[] = [];
  for (const name of names) {
    const paths = await listEventFiles(join(logDir, name));
    if (paths.length > 0) runs.push({name, files: await Promise.all(paths.map(readEventFile))});
  }
  return runs;
}

/** One point of a scalar series. */
export interface ScalarPoint {
  step: number;
  wallTime: number;
  value: number;
}

/** Scalars by tag, in file and record order. */
export function scalarSeries(files: EventFileContents[]): Record<string, ScalarPoint[]> {
  const series: Record<string, ScalarPoint[]> = {};
  for (const file of files) {
    for (const {event} of file.events) {
      for (const value of event.summary?.value ?? []) {
        if (value.simpleValue === undefined) continue;
        (series[value.tag] ??= []).push({step: event.step, wallTime: event.wallTime, value: value.simpleValue});
      }
    }
  }
  return series;
}

/** Tags of the summary values of one kind ("histo" or "image"), each with its number of events. */
export function tagCounts(files: EventFileContents[], kind: "histo" | "image"): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const file of files) {
    for (const {event} of file.events) {
      for (const value of event.summary?.value ?? []) {
        if (value[kind] !== undefined) counts[value.tag] = (counts[value.tag] ?? 0) + 1;
      }
    }
  }
  return counts;
}
