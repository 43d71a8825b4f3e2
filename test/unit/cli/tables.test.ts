import { describe, expect, it } from "vitest";
import type { ApiSession } from "../../../lib/cli/api-types.js";
import { elapsed, progressOn } from "../../../lib/cli/progress.js";
import { expiry, sessionDetail, sessionsTable, table } from "../../../lib/cli/tables.js";

const session = (overrides: Partial<ApiSession> = {}): ApiSession =>
  ({
    id: "vpc-0a1b2c3d4e5f60718",
    vpcId: "vpc-0a1b2c3d4e5f60718",
    region: "us-east-1",
    stackName: "ssm-knock-vpc-0a1b2c3d4e5f60718",
    status: "ready",
    stackStatus: "CREATE_COMPLETE",
    createdAt: "2026-11-30T10:00:00Z",
    expiresAt: "2026-11-30T12:00:00Z",
    expiresIn: "1h 45m",
    accountId: "222222222222",
    requestedBy: "alice",
    reason: "debug payments",
    requesters: ["alice", "bob"],
    instances: ["i-0123456789abcdef0"],
    subnetIds: [],
    sourceSecurityGroupIds: [],
    sourceCidrs: [],
    endpoints: [{ service: "ssm", id: "vpce-1", state: "available" }],
    connect: "aws ssm start-session --target i-0123456789abcdef0 --region us-east-1",
    estimatedCostUsd: 0.06,
    ...overrides,
  }) as ApiSession;

describe("tables", () => {
  it("pads every column but the last", () => {
    expect(table(["A", "BB", "C"], [["xxx", "y", "z"]])).toBe("A    BB  C\nxxx  y   z");
  });

  it("shows the expiry in UTC and, while live, how far off it is by the service's clock", () => {
    expect(expiry(session())).toBe("2026-11-30 12:00Z (in 1h 45m)");
    expect(expiry(session({ status: "closing" }))).toBe("2026-11-30 12:00Z");
  });

  it("lists sessions with status, connectable (? when not reported), expiry and cost", () => {
    const text = sessionsTable([
      session(),
      session({ id: "vpc-0fedcba9876543210", connectable: true, status: "creating", estimatedCostUsd: 1.5 }),
    ]);
    const [header, first, second] = text.split("\n");
    expect(header.split(/\s{2,}/)).toEqual([
      "SESSION",
      "ACCOUNT",
      "REGION",
      "STATUS",
      "CONNECTABLE",
      "EXPIRES (UTC)",
      "COST",
      "INSTANCES",
      "REQUESTERS",
    ]);
    expect(first.split(/\s{2,}/)).toEqual([
      "vpc-0a1b2c3d4e5f60718",
      "222222222222",
      "us-east-1",
      "ready",
      "?",
      "2026-11-30 12:00Z (in 1h 45m)",
      "$0.06",
      "i-0123456789abcdef0",
      "alice,bob",
    ]);
    expect(second).toMatch(/creating\s+yes\s+.*\$1\.50/);
    expect(sessionsTable([])).toBe("No sessions.");
  });

  it("details one session with each instance's readiness and the failing checks' fixes", () => {
    const text = sessionDetail(
      session({
        connectable: false,
        statusReason: null,
        instances: [
          {
            id: "i-0123456789abcdef0",
            pingStatus: "ConnectionLost",
            agentVersion: "3.3.1000.0",
            lastPingAt: "2026-11-30T04:00:00Z",
            connectable: false,
            checks: [
              { name: "running", status: "ok", message: "The instance is running." },
              {
                name: "egress-443",
                status: "fail",
                message: "No group allows TCP 443 out.",
                fix: "Allow TCP 443 out to the endpoints' group.",
              },
            ],
          },
        ],
      }),
    );
    expect(text).toContain("Status        ready (CREATE_COMPLETE)");
    expect(text).toContain("Connectable   no");
    expect(text).toContain('Requested by  alice: "debug payments"');
    expect(text).toMatch(/i-0123456789abcdef0\s+ConnectionLost\s+3\.3\.1000\.0\s+2026-11-30T04:00:00Z\s+no/);
    expect(text).toContain("  ✗ egress-443: No group allows TCP 443 out.\n    fix: Allow TCP 443 out to the endpoints' group.");
    expect(text).not.toContain("The instance is running.");
  });
});

describe("progress", () => {
  it("formats elapsed time as m:ss, then h:mm:ss", () => {
    expect(elapsed(0)).toBe("0:00");
    expect(elapsed(62_500)).toBe("1:02");
    expect(elapsed(3_723_000)).toBe("1:02:03");
  });

  it("writes one plain line per stage reached when stderr is not a terminal", () => {
    let now = 0;
    let text = "";
    const progress = progressOn({ write: (chunk: string) => (text += chunk), isTTY: false }, () => now);
    progress.update("stack creating", "ssm pending");
    now = 5_000;
    progress.update("stack creating", "ssm available");
    now = 42_000;
    progress.update("endpoints available", "agent ConnectionLost");
    progress.say("connectable: i-0123456789abcdef0");
    expect(text).toBe(
      "[0:00] stack creating - ssm pending\n[0:42] endpoints available - agent ConnectionLost\n[0:42] connectable: i-0123456789abcdef0\n",
    );
  });

  it("redraws one live line on a terminal and clears it when done", () => {
    let text = "";
    const progress = progressOn({ write: (chunk: string) => (text += chunk), isTTY: true }, () => 0);
    progress.update("stack creating");
    progress.update("endpoints available");
    progress.stop();
    expect(text.split("\r\x1b[2K").filter(Boolean)).toEqual(["⠙ [0:00] stack creating", "⠹ [0:00] endpoints available"]);
    expect(text.endsWith("\r\x1b[2K")).toBe(true);
    expect(text).not.toContain("\n");
  });
});
