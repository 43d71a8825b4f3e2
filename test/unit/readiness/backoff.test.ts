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
});
