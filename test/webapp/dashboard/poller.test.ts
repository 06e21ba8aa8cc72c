import {describe, expect, it} from "vitest";

import {startPoller} from "../../../web/src/views/dashboard/poller.js";

describe("dashboard poller", () => {
  it("calls back on the first text and on every change, never for the same text twice", async () => {
    const texts = ["a", "a", "b", "b", "c"];
    let calls = 0;
    const changes: string[] = [];
    let checks = 0;
    const poller = startPoller({
      fetchText: () => Promise.resolve(texts[Math.min(calls++, texts.length - 1)]),
      onChange: (t) => changes.push(t),
      onChecked: () => checks++,
      intervalMs: 60_000
    });
    for (let i = 0; i < 6; i++) await poller.poll();
    poller.stop();
    expect(changes).toEqual(["a", "b", "c"]);
    expect(checks).toBe(calls);
  });

  it("reports errors and keeps going; stop() ends the timer loop", async () => {
    let calls = 0;
    const errors: unknown[] = [];
    const changes: string[] = [];
    const poller = startPoller({
      fetchText: () => (++calls === 1 ? Promise.reject(new Error("offline")) : Promise.resolve("x")),
      onChange: (t) => changes.push(t),
      onError: (e) => errors.push(e),
      intervalMs: 5
    });
    await new Promise((r) => setTimeout(r, 60));
    poller.stop();
    const after = calls;
    await new Promise((r) => setTimeout(r, 40));
    expect(calls).toBe(after);
    expect(calls).toBeGreaterThan(2);
    expect((errors[0] as Error).message).toBe("offline");
    expect(changes).toEqual(["x"]);
  });
});
