import { describe, expect, it } from "vitest";
import type { SessionSpec } from "../../../lib/core/session.js";
import { toSession } from "../../../lib/sessions/shape.js";
import { sampleSpec } from "../../support/session-fixture.js";

// The shared fixture, in another region and requested by "alice": the figures below depend on those.
const spec = (overrides: Partial<SessionSpec> = {}): SessionSpec =>
  sampleSpec({
    vpcId: "vpc-0123456789abcdef0",
    region: "ap-northeast-1",
    requests: [{ by: "alice", at: "2026-11-30T10:00:00Z", reason: "debug", instanceId: "i-0123456789abcdef0" }],
    ...overrides,
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
      // Not read here: nothing is claimed about the instance, or the session.
      instances: [
        {
          id: "i-0123456789abcdef0",
          pingStatus: "unknown",
          agentVersion: null,
          lastPingAt: null,
          connectable: null,
          checks: [],
          rebootedAt: null,
        },
      ],
      connectable: null,
      connect: "aws ssm start-session --target i-0123456789abcdef0 --region ap-northeast-1",
    });
    expect(session.endpoints).toEqual([
      { service: "ssm", id: null, state: "pending" },
      { service: "ssmmessages", id: null, state: "pending" },
      { service: "ec2messages", id: null, state: "pending" },
    ]);
  });

  it("records every requester once, in the order they asked, the first as requestedBy with its reason", () => {
    const requests = [
      { by: "alice", at: "2026-11-30T10:00:00Z", reason: "debug" },
      { by: "bob", at: "2026-11-30T10:05:00Z", reason: "deploy" },
      { by: "alice", at: "2026-11-30T10:10:00Z" },
    ];
    const session = toSession({ spec: spec({ requests }), stackName: "s" }, new Date("2026-11-30T10:15:00Z"), 0.01);
    expect(session).toMatchObject({ requestedBy: "alice", reason: "debug", requesters: ["alice", "bob"] });
  });

  it("names the requester unknown when the stack's record has no request (unreadable)", () => {
    const session = toSession({ spec: spec({ requests: [] }), stackName: "s" }, new Date("2026-11-30T10:15:00Z"), 0.01);
    expect(session).toMatchObject({ requestedBy: "unknown", reason: null, requesters: [] });
  });

  it("has no connect command when no instance is known", () => {
    const session = toSession({ spec: spec({ requests: [{ by: "bob", at: "2026-11-30T10:00:00Z" }] }), stackName: "s" }, new Date(), 0.01);
    expect(session.connect).toBeNull();
    expect(session.reason).toBeNull();
  });
});
