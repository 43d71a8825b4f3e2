import { describe, expect, it } from "vitest";
import { reachableLine } from "../../../lib/cli/api-types.js";
import { billText } from "../../../lib/slack/blocks.js";
import { openedMessage } from "../../../lib/slack/replies.js";

// What Slack and the CLI say when nothing was created, and how Slack words a bill (issue 16).
const route = { via: "nat-gateway" as const, gatewayId: "nat-0a1", routeTableId: "rtb-0b2", instanceId: "i-0123456789abcdef0" };

describe("already reachable, in Slack and the CLI", () => {
  it("names the instance's NAT gateway and route table, or the VPC's own endpoints", () => {
    const nat = openedMessage(
      {
        outcome: "already_reachable",
        accountId: "123456789012",
        via: "nat-gateway",
        vpcId: "vpc-1",
        region: "us-east-1",
        endpoints: [],
        route,
      },
      new Date(),
    );
    expect(nat.text).toContain(
      "`i-0123456789abcdef0` already reaches Systems Manager: its subnet routes 0.0.0.0/0 to a NAT gateway, `nat-0a1` (rtb-0b2)",
    );
    const own = openedMessage(
      {
        outcome: "already_reachable",
        accountId: "123456789012",
        via: "endpoints",
        vpcId: "vpc-1",
        region: "us-east-1",
        endpoints: [{ service: "ssm", id: "vpce-1" }],
      },
      new Date(),
    );
    expect(own.text).toContain("`vpc-1` (us-east-1) already has every endpoint Session Manager needs (ssm vpce-1)");
    expect(
      reachableLine({
        alreadyReachable: true,
        via: "internet-gateway",
        vpcId: "vpc-1",
        region: "us-east-1",
        endpoints: [],
        instanceId: "i-1",
        gatewayId: "igw-1",
      }),
    ).toBe("i-1 already reaches Systems Manager through an internet gateway (igw-1); nothing was opened.");
    // A server from before issue 16 says no `via`: it meant the VPC's endpoints.
    expect(
      reachableLine({ alreadyReachable: true, vpcId: "vpc-1", region: "us-east-1", endpoints: [{ service: "ssm", id: "vpce-1" }] }),
    ).toContain("already has every endpoint Session Manager needs (ssm vpce-1)");
  });

  it("words a bill with its formula's factors and its span", () => {
    const text = billText({
      endpointHours: 4,
      usd: 0.056,
      openedAt: "2026-11-30T10:00:04Z",
      closedAt: "2026-11-30T11:01:00Z",
      startedHours: 2,
      interfaceEndpoints: 2,
      availabilityZones: 1,
      pricePerEndpointHourUsd: 0.014,
    });
    expect(text).toBe("Bill: USD 0.06, 4 endpoint-hours (2 endpoints x 1 AZ x 2 started hours at USD 0.014), 10:00Z to 11:01Z.");
  });
});
