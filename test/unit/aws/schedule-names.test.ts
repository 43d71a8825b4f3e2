import { describe, expect, it } from "vitest";
import { scheduleNameFor, sessionOfScheduleName } from "../../../lib/aws/schedules.js";
import { TIMER_KINDS } from "../../../lib/core/timers.js";

const VPC = "vpc-0123456789abcdef0";

describe("timer names", () => {
  it("keep the hub's sessions' names as they were, and end a member account's in its id", () => {
    expect(scheduleNameFor("ssm-knock-dev", "expire", VPC)).toBe(`ssm-knock-dev-expire-${VPC}`);
    expect(scheduleNameFor("ssm-knock-dev", "watch-b", VPC, "222222222222")).toBe(`ssm-knock-dev-watch-b-${VPC}-222222222222`);
  });

  it("read back the session, the kind and the member account; anything else is no timer of ours", () => {
    for (const kind of TIMER_KINDS) {
      expect(sessionOfScheduleName("ssm-knock-dev", scheduleNameFor("ssm-knock-dev", kind, VPC))).toEqual({
        kind,
        sessionId: VPC,
        memberAccountId: undefined,
      });
      expect(sessionOfScheduleName("ssm-knock-dev", scheduleNameFor("ssm-knock-dev", kind, VPC, "222222222222"))).toEqual({
        kind,
        sessionId: VPC,
        memberAccountId: "222222222222",
      });
    }
    expect(sessionOfScheduleName("ssm-knock-dev", `ssm-knock-dev-expire-${VPC}-2222`)).toBeUndefined();
    expect(sessionOfScheduleName("ssm-knock-dev", `ssm-knock-prod-expire-${VPC}-222222222222`)).toBeUndefined();
    expect(sessionOfScheduleName("ssm-knock", `ssm-knock-dev-expire-${VPC}`)).toBeUndefined();
  });

  it("stay within Scheduler's 64 characters for the longest stage a member account allows", () => {
    expect(scheduleNameFor("ssm-knock-production", "watch-a", "vpc-0123456789abcdef0", "222222222222").length).toBeLessThanOrEqual(64);
  });
});
