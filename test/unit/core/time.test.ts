import { describe, expect, it } from "vitest";
import { atExpression, ceilToMinute, isoSeconds, parseAtExpression } from "../../../lib/core/time.js";

describe("time helpers", () => {
  it("rounds up to the next whole minute, and leaves whole minutes alone", () => {
    expect(ceilToMinute(new Date("2026-11-30T10:00:00.001Z")).toISOString()).toBe("2026-11-30T10:01:00.000Z");
    expect(ceilToMinute(new Date("2026-11-30T10:00:00.000Z")).toISOString()).toBe("2026-11-30T10:00:00.000Z");
  });

  it("writes Scheduler's at() in UTC without zone or milliseconds, and reads it back", () => {
    const date = new Date("2026-11-30T23:59:00.000Z");
    expect(atExpression(date)).toBe("at(2026-11-30T23:59:00)");
    expect(parseAtExpression("at(2026-11-30T23:59:00)")?.toISOString()).toBe(date.toISOString());
    expect(parseAtExpression("rate(5 minutes)")).toBeUndefined();
  });

  it.each(["xat(2026-11-30T23:59:00)", "at(2026-11-30T23:59:00)x", "at(2026-11-30T23:59:00Z)"])(
    "reads nothing from %s, no whole at() expression",
    (expression) => {
      expect(parseAtExpression(expression)).toBeUndefined();
    },
  );

  it("formats ISO 8601 UTC to the second with a Z", () => {
    expect(isoSeconds(new Date("2026-01-02T03:04:05.678Z"))).toBe("2026-01-02T03:04:05Z");
  });
});
