import { describe, expect, it } from "vitest";
import { notRead, sessionConnectable, statusOfStack } from "../../../lib/core/session.js";

describe("statusOfStack", () => {
  it.each([
    ["CREATE_IN_PROGRESS", "creating"],
    ["CREATE_COMPLETE", "ready"],
    ["UPDATE_IN_PROGRESS", "ready"],
    ["UPDATE_ROLLBACK_COMPLETE", "ready"],
    ["DELETE_IN_PROGRESS", "closing"],
    ["DELETE_COMPLETE", "closed"],
    [undefined, "closed"],
    ["ROLLBACK_COMPLETE", "failed"],
    ["CREATE_FAILED", "failed"],
    ["DELETE_FAILED", "failed"],
    ["UPDATE_ROLLBACK_FAILED", "failed"],
  ])("maps %s to %s", (stackStatus, status) => expect(statusOfStack(stackStatus)).toBe(status));
});

describe("sessionConnectable", () => {
  const instance = (connectable: boolean | null) => ({ ...notRead("i-0123456789abcdef0"), connectable });
  it("is true only when every instance is, false when one is not, and null while unknown", () => {
    expect(sessionConnectable([instance(true), instance(true)])).toBe(true);
    expect(sessionConnectable([instance(true), instance(null)])).toBeNull();
    expect(sessionConnectable([instance(true), instance(false), instance(null)])).toBe(false);
    expect(sessionConnectable([])).toBeNull();
  });
});
