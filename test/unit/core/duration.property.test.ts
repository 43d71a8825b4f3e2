import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../../lib/core/duration.js";
import { InvalidRequestError, PreconditionError } from "../../../lib/core/errors.js";
import { resolveTtl } from "../../../lib/sessions/ttl.js";

// Property tests of durations: parseDuration reads anything and answers milliseconds in whole
// minutes or undefined (its documented "not a duration"); resolveTtl turns that into the API's
// 400 or 422, never another error.

const MINUTE = 60_000;
const BOUNDS = { defaultMs: 2 * 60 * MINUTE, minMs: 15 * MINUTE, maxMs: 12 * 60 * MINUTE };

describe("parseDuration, property-based", () => {
  it("reads any value without throwing: a positive whole number of minutes, or undefined", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string(), fc.double(), fc.stringMatching(/^[0-9dhm .-]{0,12}$/)), (value) => {
        const ms = parseDuration(value);
        if (ms === undefined) return;
        expect(Number.isFinite(ms)).toBe(true);
        expect(ms).toBeGreaterThan(0);
        expect(Number.isInteger(ms / MINUTE)).toBe(true);
        if (Number.isSafeInteger(ms)) expect(ms % MINUTE).toBe(0);
      }),
      { numRuns: 1000 },
    );
  });

  it("reads back what formatDuration writes (spaces removed), for any whole number of minutes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 * 24 * 60 }), (minutes) => {
        expect(parseDuration(formatDuration(minutes * MINUTE).replaceAll(" ", ""))).toBe(minutes * MINUTE);
      }),
    );
  });

  it("adds days, hours and minutes in the d-h-m order, in any case and with surrounding space", () => {
    fc.assert(
      fc.property(fc.nat(30), fc.nat(48), fc.nat(120), fc.boolean(), (d, h, m, upper) => {
        fc.pre(d + h + m > 0);
        const text = `${d ? `${d}d` : ""}${h ? `${h}h` : ""}${m ? `${m}m` : ""}`;
        expect(parseDuration(` ${upper ? text.toUpperCase() : text} `)).toBe(((d * 24 + h) * 60 + m) * MINUTE);
      }),
    );
  });

  it("takes a number as hours only when it is a whole number of minutes", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (hours) => {
        const ms = parseDuration(hours);
        const whole = hours > 0 && Number.isInteger(hours * 60);
        if (!whole) expect(ms).toBeUndefined();
      }),
    );
  });
});

describe("resolveTtl, property-based", () => {
  it("answers any string or number with a TTL within bounds, a 400 (not a duration) or a 422 (out of bounds)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.double(), fc.integer(), fc.stringMatching(/^\d{1,4}[dhm]$/)), (ttl) => {
        try {
          const ms = resolveTtl(ttl, BOUNDS);
          expect(ms).toBeGreaterThanOrEqual(BOUNDS.minMs);
          expect(ms).toBeLessThanOrEqual(BOUNDS.maxMs);
        } catch (error) {
          if (parseDuration(ttl) === undefined) expect(error).toBeInstanceOf(InvalidRequestError);
          else expect(error).toBeInstanceOf(PreconditionError);
          expect(error).toMatchObject({ field: "ttl" });
        }
      }),
      { numRuns: 500 },
    );
  });
});
