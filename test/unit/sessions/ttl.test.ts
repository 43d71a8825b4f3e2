import { describe, expect, it } from "vitest";
import { resolveTtl } from "../../../lib/sessions/ttl.js";
import { thrownAppError } from "../../support/app-error.js";

const MINUTE = 60_000;
const BOUNDS = { defaultMs: 120 * MINUTE, minMs: 15 * MINUTE, maxMs: 240 * MINUTE };

describe("resolveTtl", () => {
  it("gives the default when no ttl is asked for", () => {
    expect(resolveTtl(undefined, BOUNDS)).toBe(120 * MINUTE);
  });

  it("reads durations and hours, including the bounds themselves", () => {
    expect(resolveTtl("90m", BOUNDS)).toBe(90 * MINUTE);
    expect(resolveTtl(3, BOUNDS)).toBe(180 * MINUTE);
    expect(resolveTtl("15m", BOUNDS)).toBe(15 * MINUTE);
    expect(resolveTtl("4h", BOUNDS)).toBe(240 * MINUTE);
  });

  it("refuses a malformed ttl with 400 on ttl, naming the accepted forms", () => {
    expect(thrownAppError(() => resolveTtl("soon", BOUNDS))).toEqual({
      status: 400,
      code: "invalid_request",
      field: "ttl",
      message: 'ttl must be a duration such as "2h", "90m", "1h30m" or a number of hours, in whole minutes',
      details: undefined,
    });
  });

  it.each(["14m", "4h1m"])("refuses %s, outside the bounds, with 422 ttl_out_of_bounds naming them", (ttl) => {
    expect(thrownAppError(() => resolveTtl(ttl, BOUNDS))).toEqual({
      status: 422,
      code: "ttl_out_of_bounds",
      field: "ttl",
      message: "ttl must be between 15m and 4h",
      details: undefined,
    });
  });
});
