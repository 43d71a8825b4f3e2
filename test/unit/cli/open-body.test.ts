import { describe, expect, it } from "vitest";
import { openBody } from "../../../lib/cli/connect.js";

describe("Function: openBody", () => {
  const flags = { ttl: "1h", restartAgent: false };

  it("names the account when one is set, and only then (servers before accounts refuse unknown fields)", () => {
    expect(openBody({ instanceId: "i-0123456789abcdef0" }, flags, "eu-west-1", "222222222222")).toEqual({
      instanceId: "i-0123456789abcdef0",
      region: "eu-west-1",
      accountId: "222222222222",
      ttl: "1h",
    });
    expect(openBody({ vpcId: "vpc-0123456789abcdef0" }, flags, "eu-west-1")).not.toHaveProperty("accountId");
  });
});
