import type { Session, SessionSpec } from "../../lib/core/session.js";
import type { SessionEvent, SessionEventType } from "../../lib/core/session-events.js";
import { toSession } from "../../lib/sessions/shape.js";

export const NOW = new Date("2026-11-30T10:15:00Z");

/** The spec of a session opened at 10:00 by a Slack user for i-0123456789abcdef0, expiring at 12:00 UTC. */
export const sampleSpec = (overrides: Partial<SessionSpec> = {}): SessionSpec => ({
  vpcId: "vpc-0a1b2c3d4e5f60718",
  accountId: "123456789012",
  region: "us-east-1",
  subnetIds: ["subnet-0a1b2c3d4e5f60718"],
  sourceSecurityGroupIds: ["sg-0a1b2c3d4e5f60718"],
  sourceCidrs: [],
  services: ["ssm", "ssmmessages", "ec2messages"],
  s3RouteTableIds: [],
  expiresAt: new Date("2026-11-30T12:00:00Z"),
  createdAt: new Date("2026-11-30T10:00:00Z"),
  requests: [{ by: "slack:T0001/U0001", at: "2026-11-30T10:00:00Z", reason: "debug <payments> & co", instanceId: "i-0123456789abcdef0" }],
  ...overrides,
});

/** That session as the API shows it at 10:15. */
export function sampleSession(overrides: Partial<Session> = {}): Session {
  const session = toSession(
    {
      spec: sampleSpec(),
      stackName: "ssm-knock-vpc-0a1b2c3d4e5f60718",
      stackStatus: "CREATE_COMPLETE",
    },
    NOW,
    0.01,
  );
  return { ...session, ...overrides };
}

export const sampleEvent = (type: SessionEventType, extra: Partial<SessionEvent> = {}): SessionEvent => ({
  type,
  session: sampleSession(),
  actor: "slack:T0001/U0001",
  at: "2026-11-30T10:15:00Z",
  ...extra,
});
