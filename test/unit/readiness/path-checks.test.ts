import type { IpPermission, NetworkAclEntry, SecurityGroup } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { known, unknownRead } from "../../../lib/core/readiness-facts.js";
import { agentPath, readinessChecks } from "../../../lib/readiness/checks.js";
import { allow, appGroup, endDeny, endpoint, facts, now, run, status, vpceGroup } from "../../support/readiness-facts.js";

// The network path checks (lib/readiness/path-checks.ts) on hand-made facts: endpoint ingress,
// instance egress, NACLs both ways, routes.

/** A TCP rule on one port, to or from `peer` (addresses or groups). */
const tcp = (port: number, peer: IpPermission) => ({ IpProtocol: "tcp", FromPort: port, ToPort: port, ...peer });

describe("path checks", () => {
  it("endpoint-ingress: by group, by the instance's address, refused, unreadable group", () => {
    const ingress = (rule: SecurityGroup["IpPermissions"]) =>
      status(facts({ securityGroups: known([appGroup, { GroupId: "sg-vpce", IpPermissions: rule }]) }), "endpoint-ingress");
    expect(ingress([tcp(443, { IpRanges: [{ CidrIp: "10.0.1.10/32" }] })])).toBe("ok");
    expect(ingress([tcp(80, { IpRanges: [{ CidrIp: "0.0.0.0/0" }] })])).toBe("fail");
    expect(status(facts({ securityGroups: known([appGroup]) }), "endpoint-ingress")).toBe("unknown");
  });

  it("instance-egress: none, part of the endpoints' subnet, to the endpoints' group", () => {
    const egress = (rules: SecurityGroup["IpPermissionsEgress"]) => known([{ GroupId: "sg-app", IpPermissionsEgress: rules }, vpceGroup]);
    const egressStatus = (rules: SecurityGroup["IpPermissionsEgress"]) =>
      status(facts({ securityGroups: egress(rules) }), "instance-egress");
    expect(egressStatus([])).toBe("fail");
    expect(egressStatus([tcp(443, { IpRanges: [{ CidrIp: "10.0.2.0/25" }] })])).toBe("warn");
    expect(egressStatus([tcp(443, { UserIdGroupPairs: [{ GroupId: "sg-vpce" }] })])).toBe("ok");
    expect(agentPath(readinessChecks(facts({ securityGroups: egress([]) }), now)).reachable).toBe(false);
  });

  it("NACLs: rule order, deny rules, the default deny, ports of the return traffic, same subnet", () => {
    const acl = (entries: NetworkAclEntry[], subnet = "subnet-a") =>
      known([
        { NetworkAclId: "acl-x", Associations: [{ SubnetId: subnet }], Entries: entries },
        { NetworkAclId: "acl-default", IsDefault: true, Entries: [allow(100, true), allow(100, false)] },
      ]);
    const https = (n: number, egress: boolean, action: "allow" | "deny", from = 443, to = 443): NetworkAclEntry => ({
      RuleNumber: n,
      Egress: egress,
      Protocol: "6",
      RuleAction: action,
      CidrBlock: "10.0.0.0/16",
      PortRange: { From: from, To: to },
    });
    expect(run(facts({ networkAcls: acl([endDeny(true), endDeny(false)]) }))["nacl-instance-subnet"].message).toContain(
      "the default rule (*)",
    );
    const denyFirst = acl([https(90, true, "deny"), https(100, true, "allow"), https(100, false, "allow", 1024, 65535)]);
    expect(run(facts({ networkAcls: denyFirst }))["nacl-instance-subnet"]).toMatchObject({
      status: "fail",
      message: expect.stringContaining("rule 90"),
    });
    const allowFirst = acl([https(90, true, "allow"), https(100, true, "deny"), https(100, false, "allow", 1024, 65535)]);
    expect(status(facts({ networkAcls: allowFirst }), "nacl-instance-subnet")).toBe("ok");
    const partReturn = acl([https(100, false, "allow", 443, 443), https(110, true, "allow", 49152, 65535)], "subnet-b");
    expect(status(facts({ networkAcls: partReturn }), "nacl-endpoint-subnets")).toBe("warn");
    const sameSubnet = known([
      endpoint("ssm", { SubnetIds: ["subnet-a"] }),
      endpoint("ssmmessages", { SubnetIds: ["subnet-a"] }),
      endpoint("ec2messages", { SubnetIds: ["subnet-a"] }),
    ]);
    expect(run(facts({ endpoints: sameSubnet, networkAcls: acl([endDeny(true), endDeny(false)]) }))["nacl-instance-subnet"]).toMatchObject({
      status: "ok",
      message: expect.stringContaining("inside a subnet"),
    });
  });

  it("route-to-endpoints: a more specific route elsewhere warns, a blackhole fails", () => {
    const routes = (extra: object) =>
      known([
        {
          RouteTableId: "rtb-main",
          Associations: [{ Main: true }],
          Routes: [{ DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local" }, extra],
        },
      ]);
    expect(
      status(
        facts({ routeTables: routes({ DestinationCidrBlock: "10.0.2.0/24", NetworkInterfaceId: "eni-fw", State: "active" }) }),
        "route-to-endpoints",
      ),
    ).toBe("warn");
    expect(
      status(
        facts({ routeTables: routes({ DestinationCidrBlock: "10.0.2.0/24", NetworkInterfaceId: "eni-gone", State: "blackhole" }) }),
        "route-to-endpoints",
      ),
    ).toBe("fail");
    expect(
      status(
        facts({ routeTables: routes({ DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: "nat-1", State: "active" }) }),
        "route-to-endpoints",
      ),
    ).toBe("ok");
  });

  it("says unknown, never ok, when the facts a path check needs could not be read", () => {
    const lost = unknownRead<never>("AccessDenied");
    const unread = run(facts({ securityGroups: lost, subnets: lost, networkAcls: lost, routeTables: lost }));
    for (const name of [
      "endpoint-ingress",
      "instance-egress",
      "nacl-instance-subnet",
      "nacl-endpoint-subnets",
      "route-to-endpoints",
    ] as const)
      expect(unread[name]).toMatchObject({ status: "unknown", message: "Could not be read: AccessDenied.", fix: null });
    // Groups read but subnets not: the egress check cannot place the endpoints.
    expect(run(facts({ subnets: lost }))["instance-egress"]).toMatchObject({
      status: "unknown",
      message: "Could not be read: AccessDenied.",
    });
  });

  it("instance-egress: an unread own group or an unknown subnet range is unknown, not a refusal", () => {
    expect(run(facts({ securityGroups: known([vpceGroup]) }))["instance-egress"]).toMatchObject({
      status: "unknown",
      message: "Not every group of i-1 could be read.",
    });
    const unplaced = run(facts({ subnets: known([{ SubnetId: "subnet-a", CidrBlock: "10.0.1.0/24" }]) }))["instance-egress"];
    expect(unplaced).toMatchObject({ status: "unknown", fix: null });
    expect(unplaced.message).toContain("may not allow TCP 443 out to");
    const refused = run(facts({ securityGroups: known([{ GroupId: "sg-app", IpPermissionsEgress: [] }, vpceGroup]) }))["instance-egress"];
    expect(refused.message).toContain("allow no TCP 443 out to vpce-ssm in subnet-b");
    expect(refused.fix).toContain("on sg-app");
  });

  it("endpoint-ingress: names the refused endpoints and their groups, and the instance's group in the fix", () => {
    const closed = run(facts({ securityGroups: known([appGroup, { GroupId: "sg-vpce", IpPermissions: [] }]) }))["endpoint-ingress"];
    expect(closed.status).toBe("fail");
    expect(closed.message).toContain("vpce-ssm (sg-vpce), vpce-ssmmessages (sg-vpce)");
    expect(closed.fix).toBe("Add an inbound rule for TCP 443 from sg-app to those groups.");
    const groupless = run(
      facts({
        securityGroups: known([appGroup, { GroupId: "sg-vpce", IpPermissions: [] }]),
        instance: known({ InstanceId: "i-1", SubnetId: "subnet-a", PrivateIpAddress: "10.0.1.10", SecurityGroups: [] }),
      }),
    )["endpoint-ingress"];
    expect(groupless.fix).toBe("Add an inbound rule for TCP 443 from 10.0.1.10 to those groups.");
  });

  it("NACLs: a subnet without a known ACL or address range is unknown", () => {
    expect(run(facts({ networkAcls: known([]) }))["nacl-endpoint-subnets"]).toMatchObject({
      status: "unknown",
      message: "No network ACL is known for subnet-b.",
    });
    expect(run(facts({ subnets: known([{ SubnetId: "subnet-a", CidrBlock: "10.0.1.0/24" }]) }))["nacl-instance-subnet"]).toMatchObject({
      status: "unknown",
      message: "The address range of subnet-b is not known.",
    });
  });

  it("route-to-endpoints: the subnet's own table wins over the main one; no table is unknown", () => {
    const own = {
      RouteTableId: "rtb-own",
      Associations: [{ SubnetId: "subnet-a" }],
      Routes: [
        { DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local" },
        { DestinationCidrBlock: "10.0.2.0/24", TransitGatewayId: "tgw-1", State: "active" as const },
      ],
    };
    const main = {
      RouteTableId: "rtb-main",
      Associations: [{ Main: true }],
      Routes: [{ DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local" }],
    };
    const diverted = run(facts({ routeTables: known([main, own]) }))["route-to-endpoints"];
    expect(diverted.status).toBe("warn");
    expect(diverted.message).toContain("10.0.2.0/24 (subnet-b) goes to tgw-1");
    expect(run(facts({ routeTables: known([]) }))["route-to-endpoints"]).toMatchObject({
      status: "unknown",
      message: "No route table is known for subnet-a.",
    });
  });
});
