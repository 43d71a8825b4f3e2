import { describe, expect, it } from "vitest";
import { statusOfStack } from "../../../lib/core/session.js";

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
