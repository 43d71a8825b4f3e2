import { describe, expect, it } from "vitest";
import { parseCommandText } from "../../../lib/slack/commands.js";

describe("Function: parseCommandText, open --account", () => {
  it("takes the account from anywhere among the words, in either form", () => {
    expect(parseCommandText("open i-0123456789abcdef0 2h --account 222222222222 debugging payments")).toEqual({
      kind: "open",
      target: { instanceId: "i-0123456789abcdef0" },
      ttl: "2h",
      reason: "debugging payments",
      accountId: "222222222222",
    });
    expect(parseCommandText("open --account=222222222222 vpc-0123456789abcdef0")).toMatchObject({
      kind: "open",
      target: { vpcId: "vpc-0123456789abcdef0" },
      accountId: "222222222222",
    });
  });

  it("opens in the service's own account without it", () => {
    expect(parseCommandText("open i-0123456789abcdef0 2h")).not.toHaveProperty("accountId");
  });

  it("says what to type for a missing, malformed or repeated account", () => {
    for (const text of [
      "open i-0123456789abcdef0 --account",
      "open i-0123456789abcdef0 --account 2222",
      "open i-0123456789abcdef0 --account=",
      "open i-0123456789abcdef0 --account 222222222222 --account 333333333333",
    ]) {
      const parsed = parseCommandText(text);
      expect(parsed.kind, text).toBe("invalid");
      expect((parsed as { message: string }).message, text).toMatch(/--account/);
    }
  });
});
