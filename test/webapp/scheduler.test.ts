/** The Classify view's latest-input runner (web/src/views/classify/scheduler.ts), with real timers. */
import {describe, expect, it, vi} from "vitest";

import {latestRunner} from "../../web/src/views/classify/scheduler.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Offers 1, then 2 five milliseconds later, and waits `wait` ms; returns when each run started. */
async function twoRunStarts(minGap: number | (() => number), wait: number, onRun = () => {}): Promise<number[]> {
  const times: number[] = [];
  const runner = latestRunner<number>(() => {
    times.push(performance.now());
    onRun();
  }, minGap);
  runner.push(1);
  await sleep(5);
  runner.push(2);
  await sleep(wait);
  return times;
}

describe("latestRunner", () => {
  it("never runs two inputs at once and, after a busy run, runs only the latest input offered meanwhile", async () => {
    const started: number[] = [];
    let running = 0;
    let overlap = false;
    const runner = latestRunner<number>(async (n) => {
      started.push(n);
      running++;
      overlap ||= running > 1;
      await sleep(30);
      running--;
    });
    runner.push(1);
    await sleep(5);
    runner.push(2);
    runner.push(3);
    runner.push(4);
    await sleep(100);
    expect(started).toEqual([1, 4]);
    expect(overlap).toBe(false);
  });

  it("spaces runs at least minGap apart", async () => {
    const times = await twoRunStarts(60, 200);
    expect(times).toHaveLength(2);
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(55);
  });

  it("reads a function minGap before each run", async () => {
    let gap = 0;
    const times = await twoRunStarts(
      () => gap,
      250,
      () => {
        gap = 80;
      }
    );
    expect(times).toHaveLength(2);
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(75);
  });

  it("keeps going after a failed run and stops for good when told", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const done: number[] = [];
    const runner = latestRunner<number>((n) => {
      if (n === 1) throw new Error("bad input");
      done.push(n);
    });
    runner.push(1);
    await sleep(5);
    runner.push(2);
    await sleep(5);
    expect(done).toEqual([2]);
    expect(errors).toHaveBeenCalledTimes(1);
    runner.stop();
    runner.push(3);
    await sleep(10);
    expect(done).toEqual([2]);
    errors.mockRestore();
  });
});
