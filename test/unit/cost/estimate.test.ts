import { describe, expect, it } from "vitest";
import { estimateCostUsd } from "../../../lib/cost/estimate.js";
import { sampleSpec } from "../../support/session-fixture.js";

// The shared fixture: three Interface endpoints in one AZ, opened 10:00, expiring 12:00.
describe("estimateCostUsd", () => {
  it("bills each Interface endpoint per AZ per started hour (the brief's Tokyo price)", () => {
    // 3 endpoints x 1 AZ x 2 h x 0.014 = 0.084
    expect(estimateCostUsd(sampleSpec(), 0.014)).toBe(0.084);
    // a partial hour is a full hour: 2h01m is 3 hours
    expect(estimateCostUsd(sampleSpec({ expiresAt: new Date("2026-11-30T12:01:00Z") }), 0.014)).toBe(0.126);
    // two AZs double it; the S3 Gateway endpoint is free
    expect(
      estimateCostUsd(sampleSpec({ subnetIds: ["subnet-a", "subnet-b"], services: ["ssm", "ssmmessages", "ec2messages", "s3"] }), 0.014),
    ).toBe(0.168);
  });
});
