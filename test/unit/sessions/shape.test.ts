import { describe, expect, it } from "vitest";
import { estimateCostUsd, type SessionSpec, statusOfStack, toSession } from "../../../lib/core/session.js";
import { sampleSpec } from "../../support/session-fixture.js";

// The shared fixture, in another region and requested by "alice": the figures below depend on those.
const spec = (overrides: Partial<SessionSpec> = {}): SessionSpec =>
  sampleSpec({
    vpcId: "vpc-0123456789abcdef0",
    region: "ap-northeast-1",
    requests: [{ by: "alice", at: "2026-11-30T10:00:00Z", reason: "debug", instanceId: "i-0123456789abcdef0" }],
    ...overrides,
  });

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

describe("toSession", () => {
  it("shapes the API object with the connect command and the remaining time", () => {
    const session = toSession(
      { spec: spec(), stackName: "ssm-knock-vpc-0123456789abcdef0", stackStatus: "CREATE_COMPLETE" },
      new Date("2026-11-30T10:15:00Z"),
      0.014,
    );
    expect(session).toMatchObject({
      id: "vpc-0123456789abcdef0",
      status: "ready",
      createdAt: "2026-11-30T10:00:00Z",
      expiresAt: "2026-11-30T12:00:00Z",
      expiresIn: "1h 45m",
      requestedBy: "alice",
      reason: "debug",
      instances: ["i-0123456789abcdef0"],
      connect: "aws ssm start-session --target i-0123456789abcdef0 --region ap-northeast-1",
    });
    expect(session.endpoints).toEqual([
      { service: "ssm", id: null, state: "pending" },
      { service: "ssmmessages", id: null, state: "pending" },
      { service: "ec2messages", id: null, state: "pending" },
    ]);
  });

  it("has no connect command when no instance is known", () => {
    const session = toSession({ spec: spec({ requests: [{ by: "bob", at: "2026-11-30T10:00:00Z" }] }), stackName: "s" }, new Date(), 0.01);
    expect(session.connect).toBeNull();
    expect(session.reason).toBeNull();
  });
});
