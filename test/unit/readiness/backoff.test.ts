import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { drawRetryWait, nextRetry, offlineSentence, retryWaitBounds, seededRandom } from "../../../lib/readiness/backoff.js";

// The schedule of aws/amazon-ssm-agent 3.3.1142.0 (getEC2DefaultSSMSleepDuration, getLongSleepDuration).
const MIN = 60_000;

describe("the SSM Agent's retry schedule", () => {
  it.each([
    [0, 5 * MIN, 5 * MIN],
    [1, 9 * MIN, 10 * MIN - 1000],
    [3, 9 * MIN, 10 * MIN - 1000],
    [4, 18 * MIN, 20 * MIN - 1000],
    [6, 18 * MIN, 20 * MIN - 1000],
    [7, 36 * MIN, 40 * MIN - 1000],
    [9, 36 * MIN, 40 * MIN - 1000],
    [10, 54 * MIN, 60 * MIN - 1000],
    [16, 54 * MIN, 60 * MIN - 1000],
    [40, 54 * MIN, 60 * MIN - 1000],
  ])("waits, after failure %i, from %i to %i ms", (count, min, max) => {
    expect(retryWaitBounds(count)).toEqual({ minMs: min, maxMs: max });
  });

  it("waits 25:00 to 29:59 after an AccessDenied, whatever the count", () => {
    for (const count of [0, 5, 16]) expect(retryWaitBounds(count, "denied")).toEqual({ minMs: 25 * MIN, maxMs: 30 * MIN - 1000 });
  });

  it("draws whole seconds inside the bounds", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.constantFrom("unreachable" as const, "denied" as const),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (count, failure, u) => {
          const wait = drawRetryWait(count, failure, () => u);
          const { minMs, maxMs } = retryWaitBounds(count, failure);
          return wait % 1000 === 0 && wait >= minMs && wait <= maxMs;
        },
      ),
    );
  });

  it("gives the same jitter for the same seed, and other jitter for another", () => {
    const a = seededRandom("seed/i-1/0");
    const b = seededRandom("seed/i-1/0");
    const c = seededRandom("seed/i-2/0");
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("is mulberry32 seeded with the FNV-1a hash of the seed", () => {
    // Computed with an independent implementation of FNV-1a (32-bit) and of mulberry32's published
    // C definition; its FNV-1a matches the published vectors ("a" -> 0xe40c292c).
    const a = seededRandom("seed/i-1/0");
    expect([a(), a(), a()]).toEqual([0.3772507782559842, 0.9328275281004608, 0.2761729946359992]);
    const b = seededRandom("a");
    expect([b(), b(), b()]).toEqual([0.621685681398958, 0.30822347407229245, 0.36686075991019607]);
  });

  it("draws the hour afresh when a count's own figure is an hour or more (counts 10 to 16), as the source does", () => {
    // 600 * 2^(ceil(count/3) - 1) is 4800 s at 10 and 19200 s at 16: that draw is replaced by a new
    // getSleepWithRandomJitter(3600), so the second number decides (0 -> 54:00).
    const stream = () => {
      const values = [0.99, 0];
      return () => values.shift() as number;
    };
    expect(drawRetryWait(10, "unreachable", stream())).toBe(54 * MIN);
    expect(drawRetryWait(16, "unreachable", stream())).toBe(54 * MIN);
    // Below an hour the first draw stands: 2160 s + floor(0.99 * 240) s.
    expect(drawRetryWait(9, "unreachable", stream())).toBe((2160 + 237) * 1000);
  });
});

describe("nextRetry", () => {
  const lostAt = new Date("2026-12-01T04:10:00Z");
  const later = (ms: number) => new Date(lostAt.getTime() + ms);

  it("is exactly five minutes after the loss for the first retry", () => {
    const next = nextRetry(lostAt, later(MIN));
    expect(next.earliest).toEqual(later(5 * MIN));
    expect(next.latest).toEqual(later(5 * MIN));
  });

  it("after 6 hours is within the hour and its likely window inside the bounds", () => {
    const now = later(6 * 60 * MIN);
    const next = nextRetry(lostAt, now);
    expect(next.earliest.getTime()).toBeGreaterThanOrEqual(now.getTime());
    expect(next.latest.getTime()).toBeLessThanOrEqual(now.getTime() + 60 * MIN);
    expect(next.likelyFrom.getTime()).toBeGreaterThanOrEqual(next.earliest.getTime());
    expect(next.likelyTo.getTime()).toBeLessThanOrEqual(next.latest.getTime());
    expect(next.likelyFrom.getTime()).toBeLessThan(next.likelyTo.getTime());
  });

  // Attempts (after the loss): 5:00 exactly, then 14:00-14:59, 23:00-24:58, 32:00-34:57, ...
  it("is the attempt that may still be ahead: 20 minutes after the loss, between 23:00 and 24:58", () => {
    const next = nextRetry(lostAt, later(20 * MIN));
    expect(next.earliest).toEqual(later(23 * MIN));
    expect(next.latest).toEqual(later(24 * MIN + 58_000));
  });

  it("does not count an attempt at exactly now as the next one", () => {
    // At 14:59 the second attempt has happened at the latest; the next is the third.
    expect(nextRetry(lostAt, later(14 * MIN + 59_000)).earliest).toEqual(later(23 * MIN));
    // At 14:00 the second attempt may still be ahead, or be now: then the third comes by 14:00 + 9:59.
    const atEarliest = nextRetry(lostAt, later(14 * MIN));
    expect(atEarliest.earliest).toEqual(later(14 * MIN));
    expect(atEarliest.latest).toEqual(later(23 * MIN + 59_000));
  });

  it("at the instant of the first attempt, predicts the second, likely window included", () => {
    const next = nextRetry(lostAt, later(5 * MIN));
    expect([next.earliest, next.latest]).toEqual([later(14 * MIN), later(14 * MIN + 59_000)]);
    expect(next.likelyFrom.getTime()).toBeGreaterThanOrEqual(next.earliest.getTime());
    expect(next.likelyTo.getTime()).toBeLessThanOrEqual(next.latest.getTime());
  });

  it("is likely where about 90 % of agents try: most of another 2000 agents' next attempts fall inside", () => {
    const now = later(6 * 60 * MIN);
    const next = nextRetry(lostAt, now);
    const random = seededRandom("another population");
    let inside = 0;
    for (let agent = 0; agent < 2000; agent++) {
      let time = lostAt.getTime();
      for (let count = 0; time <= now.getTime(); count++) time += drawRetryWait(Math.min(count, 16), "unreachable", random);
      if (next.likelyFrom.getTime() <= time && time <= next.likelyTo.getTime()) inside++;
    }
    expect(inside / 2000).toBeGreaterThan(0.85);
    expect(inside / 2000).toBeLessThan(0.95);
  });

  it("simulates the likely window up to 48 hours after the loss, and uses the bounds past them", () => {
    const at48 = nextRetry(lostAt, later(48 * 60 * MIN));
    expect(at48.likelyTo.getTime() - at48.likelyFrom.getTime()).toBeLessThan(at48.latest.getTime() - at48.earliest.getTime());
    const past = nextRetry(lostAt, later(48 * 60 * MIN + MIN));
    expect([past.likelyFrom, past.likelyTo]).toEqual([past.earliest, past.latest]);
  });

  it("contains the next attempt of every simulated agent (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 * 60 * MIN }), fc.string(), (offsetMs, seed) => {
        const now = later(offsetMs);
        const random = seededRandom(seed);
        let time = lostAt.getTime();
        for (let count = 0; time <= now.getTime(); count++) time += drawRetryWait(Math.min(count, 16), "unreachable", random);
        const next = nextRetry(lostAt, now);
        return next.earliest.getTime() <= time && time <= next.latest.getTime();
      }),
      { numRuns: 200 },
    );
  });

  it("says since when and when next, in UTC", () => {
    const sentence = offlineSentence(lostAt, later(6 * 60 * MIN));
    expect(sentence).toMatch(/^offline since 04:10Z; its agent will likely retry between 10:\d\dZ and 1[01]:\d\dZ/);
    expect(offlineSentence(lostAt, later(2 * MIN))).toBe("offline since 04:10Z; its agent will likely retry at about 04:15Z");
    expect(offlineSentence(lostAt, later(30 * 60 * MIN), { neverConnected: true })).toMatch(
      /^not connected since its launch at 2026-12-01 04:10Z/,
    );
  });

  it("reads as the README's example six hours after the loss, with the latest bound from the jitter", () => {
    // Bounds at 10:10 (6 h): the 13th attempt may be ahead (from 10:10), the 14th surely is, and
    // now + 59:59 is 11:09:59, so "at the latest by 11:10Z".
    expect(offlineSentence(lostAt, later(6 * 60 * MIN))).toBe(
      "offline since 04:10Z; its agent will likely retry between 10:19Z and 10:32Z (at the latest by 11:10Z)",
    );
  });
});
