import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../../lib/core/duration.js";

describe("parseDuration", () => {
  it.each([
    ["2h", 7_200_000],
    ["90m", 5_400_000],
    ["1h30m", 5_400_000],
    ["1d", 86_400_000],
    [" 2H ", 7_200_000],
    [2, 7_200_000],
    [1.5, 5_400_000],
    [0.25, 900_000],
  ])("reads %j", (input, ms) => expect(parseDuration(input)).toBe(ms));

  it.each([
    ["0h"],
    [""],
    ["2x"],
    ["h"],
    ["-1h"],
    ["1.5h"],
    ["1h30"],
    ["2h 30m"],
    [0],
    [-2],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [0.001],
    [null],
    [{}],
  ])("refuses %j", (input) => expect(parseDuration(input)).toBeUndefined());

  it("refuses hours that are no whole number of minutes, however large (found by the property test)", () => {
    // 2,016,308,434,643,214.8 minutes: as milliseconds the fraction is lost to rounding.
    expect(parseDuration(33_605_140_577_386.914)).toBeUndefined();
    // finite hours whose milliseconds are not
    expect(parseDuration(5e301)).toBeUndefined();
  });
});

describe("formatDuration", () => {
  it.each([
    [6_300_000, "1h 45m"],
    [60_000, "1m"],
    [0, "0m"],
    [-5, "0m"],
    [86_400_000 + 7_200_000, "1d 2h"],
    [59_001, "1m"],
  ])("says %i ms as %s", (ms, text) => expect(formatDuration(ms)).toBe(text));
});
