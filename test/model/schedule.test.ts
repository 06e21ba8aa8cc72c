import {describe, expect, it} from "vitest";

import {learningRateAt, type ScheduleOptions} from "../../src/core/model/schedule.js";

const cosine: ScheduleOptions = {schedule: "cosine", peak: 0.002, epochs: 10, warmupEpochs: 1, stepsPerEpoch: 100};
const rates = Array.from({length: 1000}, (_, s) => learningRateAt(s, cosine));

describe("learningRateAt(step, options)", () => {
  it("warms up linearly from near 0 to the peak over the first epoch", () => {
    expect(rates[0]).toBeCloseTo(0.002 * (0.5 / 100), 12);
    expect(rates[49]).toBeCloseTo(0.002 * (49.5 / 100), 12);
    for (let s = 1; s < 100; s++) expect(rates[s]).toBeGreaterThan(rates[s - 1]);
  });

  it("then decays as a half cosine to near 0 at the last step", () => {
    expect(rates[100]).toBeCloseTo(0.002, 6);
    // Halfway through the decay (step 550 of 100..1000) the rate is half the peak.
    expect(learningRateAt(549.5, cosine)).toBeCloseTo(0.001, 9);
    for (let s = 101; s < 1000; s++) expect(rates[s]).toBeLessThan(rates[s - 1]);
    expect(rates[999]).toBeGreaterThan(0);
    expect(rates[999]).toBeLessThan(0.002 * 1e-4);
  });

  it("is constant at the peak for the constant schedule", () => {
    const constant = {...cosine, schedule: "constant" as const};
    expect([0, 100, 999].map((s) => learningRateAt(s, constant))).toEqual([0.002, 0.002, 0.002]);
  });

  it("starts at the peak without warm-up", () => {
    expect(learningRateAt(0, {...cosine, warmupEpochs: 0})).toBeCloseTo(0.002, 8);
  });
});
