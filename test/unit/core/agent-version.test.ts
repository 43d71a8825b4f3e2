import { describe, expect, it } from "vitest";
import { needsEc2messages } from "../../../lib/core/agent-version.js";

describe("needsEc2messages", () => {
  it.each([
    ["3.3.39.9", true],
    ["3.2.2222.0", true],
    ["2.3.1644.0", true],
    ["3.3.40.0", false],
    ["3.3.40", false],
    ["3.3.41.0", false],
    ["3.10.0.0", false],
    ["10.0.0.0", false],
  ])("says whether agent %s still needs ec2messages: %s", (version, needed) => {
    expect(needsEc2messages(version)).toBe(needed);
  });

  it.each([[undefined], [""], ["latest"], ["v3.3.40.0"], ["3.3.40.0-beta"], ["3.3..40"]])(
    "knows nothing from the version %j",
    (version) => {
      expect(needsEc2messages(version)).toBeUndefined();
    },
  );
});
