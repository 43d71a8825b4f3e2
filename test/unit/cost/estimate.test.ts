import { describe, expect, it } from "vitest";
import type { SessionSpec } from "../../../lib/core/session.js";
import { estimateCostUsd } from "../../../lib/cost/estimate.js";
import { sampleSpec } from "../../support/session-fixture.js";

// The shared fixture, in another region and requested by "alice": the figures below depend on those.
const spec = (overrides: Partial<SessionSpec> = {}): SessionSpec =>
  sampleSpec({
    vpcId: "vpc-0123456789abcdef0",
    region: "ap-northeast-1",
    requests: [{ by: "alice", at: "2026-11-30T10:00:00Z", reason: "debug", instanceId: "i-0123456789abcdef0" }],
    ...overrides,
  });

describe("estimateCostUsd", () => {
  it("bills each Interface endpoint per AZ per started hour (the brief's Tokyo price)", () => {
    // 3 endpoints x 1 AZ x 2 h x 0.014 = 0.084
    expect(estimateCostUsd(spec(), 0.014)).toBe(0.084);
    // a partial hour is a full hour: 2h01m is 3 hours
    expect(estimateCostUsd(spec({ expiresAt: new Date("2026-11-30T12:01:00Z") }), 0.014)).toBe(0.126);
    // two AZs double it; the S3 Gateway endpoint is free
    expect(
      estimateCostUsd(spec({ subnetIds: ["subnet-a", "subnet-b"], services: ["ssm", "ssmmessages", "ec2messages", "s3"] }), 0.014),
    ).toBe(0.168);
  });
});
