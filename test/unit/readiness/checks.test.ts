import type { NetworkAclEntry, SecurityGroup, VpcEndpoint } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { agentPath, checksBeforeStack, needsEc2messages, readinessChecks } from "../../../lib/readiness/checks.js";
import { type Check, type CheckName, known, type ReadinessFacts, unknownRead } from "../../../lib/readiness/facts.js";

// Every check rule on hand-made facts: a VPC where all pass (instance 10.0.1.10 in subnet-a with
// sg-app; endpoints in subnet-b with sg-vpce), then one change per case.

const REGION = "us-east-1";
const now = new Date("2026-12-01T10:10:00Z");
const allow = (n: number, egress: boolean): NetworkAclEntry => ({
  RuleNumber: n,
  Egress: egress,
  Protocol: "-1",
  RuleAction: "allow",
  CidrBlock: "0.0.0.0/0",
});
const endDeny = (egress: boolean): NetworkAclEntry => ({
  RuleNumber: 32767,
  Egress: egress,
  Protocol: "-1",
  RuleAction: "deny",
  CidrBlock: "0.0.0.0/0",
});
const endpoint = (service: string, overrides: Partial<VpcEndpoint> = {}): VpcEndpoint => ({
  VpcEndpointId: `vpce-${service}`,
  VpcEndpointType: "Interface",
  ServiceName: `com.amazonaws.${REGION}.${service}`,
  State: "available" as VpcEndpoint["State"],
  PrivateDnsEnabled: true,
  SubnetIds: ["subnet-b"],
  Groups: [{ GroupId: "sg-vpce" }],
  ...overrides,
});
const appGroup: SecurityGroup = { GroupId: "sg-app", IpPermissionsEgress: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }] };
const vpceGroup: SecurityGroup = {
  GroupId: "sg-vpce",
  IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: "sg-app" }] }],
};

function facts(overrides: Partial<ReadinessFacts> = {}): ReadinessFacts {
  return {
    region: REGION,
    instanceId: "i-1",
    accountId: "123456789012",
    instance: known({
      InstanceId: "i-1",
      State: { Name: "running" },
      VpcId: "vpc-1",
      SubnetId: "subnet-a",
      PrivateIpAddress: "10.0.1.10",
      SecurityGroups: [{ GroupId: "sg-app" }],
      IamInstanceProfile: { Arn: "arn:aws:iam::123456789012:instance-profile/p" },
      LaunchTime: new Date("2026-12-01T04:00:00Z"),
    }),
    dnsSupport: known(true),
    dnsHostnames: known(true),
    securityGroups: known([appGroup, vpceGroup]),
    subnets: known([
      { SubnetId: "subnet-a", CidrBlock: "10.0.1.0/24" },
      { SubnetId: "subnet-b", CidrBlock: "10.0.2.0/24" },
    ]),
    networkAcls: known([
      { NetworkAclId: "acl-default", IsDefault: true, Entries: [allow(100, true), endDeny(true), allow(100, false), endDeny(false)] },
    ]),
    routeTables: known([
      { RouteTableId: "rtb-main", Associations: [{ Main: true }], Routes: [{ DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local" }] },
    ]),
    endpoints: known([endpoint("ssm"), endpoint("ssmmessages"), endpoint("ec2messages")]),
    profile: known({
      profileArn: "arn:aws:iam::123456789012:instance-profile/p",
      role: {
        name: "r",
        arn: "arn:aws:iam::123456789012:role/r",
        permissions: known({
          source: "documents",
          policies: [
            {
              name: "core",
              document: {
                Statement: [
                  { Effect: "Allow", Action: ["ssm:UpdateInstanceInformation", "ssmmessages:*", "ec2messages:*"], Resource: "*" },
                ],
              },
            },
          ],
        }),
      },
    }),
    dhmc: known({}),
    ping: known({ InstanceId: "i-1", PingStatus: "Online", AgentVersion: "3.3.1000.0" }),
    connection: known("connected"),
    ...overrides,
  };
}

const run = (f: ReadinessFacts): Record<CheckName, Check> =>
  Object.fromEntries(readinessChecks(f, now).map((c) => [c.name, c])) as Record<CheckName, Check>;
const status = (f: ReadinessFacts, name: CheckName) => run(f)[name].status;

describe("readinessChecks", () => {
  it("passes every check in the working VPC, in the runbook's order, and the agent path is open", () => {
    const checks = readinessChecks(facts(), now);
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ["instance-running", "ok"],
      ["agent-ping", "ok"],
      ["endpoint-ssm", "ok"],
      ["endpoint-ssmmessages", "ok"],
      ["endpoint-ec2messages", "ok"],
      ["endpoint-ingress", "ok"],
      ["route-to-endpoints", "ok"],
      ["nacl-instance-subnet", "ok"],
      ["nacl-endpoint-subnets", "ok"],
      ["instance-egress", "ok"],
      ["instance-profile", "ok"],
      ["vpc-dns", "ok"],
    ]);
    expect(checks.every((c) => (c.status === "ok" ? c.fix === null : true))).toBe(true);
    expect(agentPath(checks)).toEqual({ reachable: true, permitted: true });
  });

  it("every failing check names one fix sentence", () => {
    const broken = facts({
      dnsHostnames: known(false),
      endpoints: known([]),
      profile: known(undefined),
      instance: known({ InstanceId: "i-1", State: { Name: "stopped" } }),
    });
    for (const check of readinessChecks(broken, now).filter((c) => c.status === "fail")) {
      expect(check.fix, check.name).toMatch(/^[A-Z].*\.$/);
    }
  });

  it("instance-running: missing, stopped, terminated, pending", () => {
    expect(run(facts({ instance: known(undefined) }))["instance-running"].status).toBe("fail");
    expect(run(facts({ instance: known({ State: { Name: "stopped" } }) }))["instance-running"].fix).toContain("start-instances");
    expect(status(facts({ instance: known({ State: { Name: "terminated" } }) }), "instance-running")).toBe("fail");
    expect(status(facts({ instance: known({ State: { Name: "pending" } }) }), "instance-running")).toBe("warn");
    expect(status(facts({ instance: unknownRead("AccessDenied") }), "instance-running")).toBe("unknown");
  });

  it("agent-ping: ConnectionLost predicts the retry; never registered; Online but not connectable; unknown", () => {
    const lost = run(
      facts({
        ping: known({ PingStatus: "ConnectionLost", AgentVersion: "3.3.1000.0", LastPingDateTime: new Date("2026-12-01T04:10:00Z") }),
      }),
    );
    expect(lost["agent-ping"]).toMatchObject({ status: "warn", fix: expect.stringContaining("restartAgent") });
    expect(lost["agent-ping"].message).toMatch(/offline since 04:10Z; its agent will likely retry between/);
    expect(run(facts({ ping: known(undefined) }))["agent-ping"].message).toMatch(/not connected since its launch at 04:00Z/);
    expect(status(facts({ connection: known("notconnected") }), "agent-ping")).toBe("warn");
    expect(status(facts({ ping: known({ PingStatus: "Inactive" }) }), "agent-ping")).toBe("fail");
    expect(status(facts({ ping: unknownRead("HTTP 500") }), "agent-ping")).toBe("unknown");
  });

  it("endpoints: missing, pending, private DNS off; ec2messages only for agents before 3.3.40.0", () => {
    const without = (service: string) =>
      known([endpoint("ssm"), endpoint("ssmmessages"), endpoint("ec2messages")].filter((e) => !e.ServiceName?.endsWith(`.${service}`)));
    expect(status(facts({ endpoints: without("ssm") }), "endpoint-ssm")).toBe("fail");
    expect(
      status(
        facts({ endpoints: known([endpoint("ssm", { State: "pending" as VpcEndpoint["State"] }), endpoint("ssmmessages")]) }),
        "endpoint-ssm",
      ),
    ).toBe("warn");
    const dnsOff = run(facts({ endpoints: known([endpoint("ssm"), endpoint("ssmmessages", { PrivateDnsEnabled: false })]) }))[
      "endpoint-ssmmessages"
    ];
    expect(dnsOff).toMatchObject({ status: "fail", fix: expect.stringContaining("--private-dns-enabled") });
    expect(status(facts({ endpoints: without("ec2messages") }), "endpoint-ec2messages")).toBe("ok");
    expect(
      status(
        facts({ endpoints: without("ec2messages"), ping: known({ PingStatus: "Online", AgentVersion: "3.2.2222.0" }) }),
        "endpoint-ec2messages",
      ),
    ).toBe("fail");
    expect(status(facts({ endpoints: without("ec2messages"), ping: known(undefined) }), "endpoint-ec2messages")).toBe("warn");
    expect(needsEc2messages("3.3.40.0")).toBe(false);
    expect(needsEc2messages("3.3.39.9")).toBe(true);
    expect(needsEc2messages("3.10.0.0")).toBe(false);
    expect(needsEc2messages(undefined)).toBeUndefined();
  });

  it("endpoint-ingress: by group, by the instance's address, refused, unreadable group", () => {
    const ingress = (rule: SecurityGroup["IpPermissions"]) => known([appGroup, { GroupId: "sg-vpce", IpPermissions: rule }]);
    expect(
      status(
        facts({ securityGroups: ingress([{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "10.0.1.10/32" }] }]) }),
        "endpoint-ingress",
      ),
    ).toBe("ok");
    expect(
      status(
        facts({ securityGroups: ingress([{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }]) }),
        "endpoint-ingress",
      ),
    ).toBe("fail");
    expect(status(facts({ securityGroups: known([appGroup]) }), "endpoint-ingress")).toBe("unknown");
  });

  it("instance-egress: none, part of the endpoints' subnet, to the endpoints' group", () => {
    const egress = (rules: SecurityGroup["IpPermissionsEgress"]) => known([{ GroupId: "sg-app", IpPermissionsEgress: rules }, vpceGroup]);
    expect(status(facts({ securityGroups: egress([]) }), "instance-egress")).toBe("fail");
    expect(
      status(
        facts({ securityGroups: egress([{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "10.0.2.0/25" }] }]) }),
        "instance-egress",
      ),
    ).toBe("warn");
    expect(
      status(
        facts({ securityGroups: egress([{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: "sg-vpce" }] }]) }),
        "instance-egress",
      ),
    ).toBe("ok");
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

  it("instance-profile: none (DHMC off, on, unknown), no role, refused actions, explicit deny, conditions, simulation", () => {
    expect(run(facts({ profile: known(undefined) }))["instance-profile"]).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("AmazonSSMManagedInstanceCore"),
    });
    expect(status(facts({ profile: known(undefined), dhmc: known({ roleName: "dhmc" }) }), "instance-profile")).toBe("ok");
    expect(status(facts({ profile: known(undefined), dhmc: unknownRead("HTTP 500") }), "instance-profile")).toBe("warn");
    expect(status(facts({ profile: known({ profileArn: "arn:p" }) }), "instance-profile")).toBe("fail");
    const withPolicies = (statements: object[]) =>
      known({
        profileArn: "arn:p",
        role: {
          name: "r",
          arn: "arn:r",
          permissions: known({ source: "documents" as const, policies: [{ name: "x", document: { Statement: statements } }] }),
        },
      });
    const noSsm = run(facts({ profile: withPolicies([{ Effect: "Allow", Action: "s3:*", Resource: "*" }]) }))["instance-profile"];
    expect(noSsm).toMatchObject({ status: "fail", fix: expect.stringContaining("attach-role-policy --role-name r") });
    const denied = withPolicies([
      { Effect: "Allow", Action: "*", Resource: "*" },
      { Effect: "Deny", Action: "ssmmessages:Open*", Resource: "*" },
    ]);
    expect(run(facts({ profile: denied }))["instance-profile"].message).toContain("ssmmessages:OpenControlChannel (explicit deny)");
    const conditional = withPolicies([
      { Effect: "Allow", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "true" } } },
    ]);
    expect(status(facts({ profile: conditional }), "instance-profile")).toBe("warn");
    const onlyNew = withPolicies([{ Effect: "Allow", Action: ["ssm:UpdateInstanceInformation", "ssmmessages:*"], Resource: "*" }]);
    expect(status(facts({ profile: onlyNew }), "instance-profile")).toBe("ok");
    expect(status(facts({ profile: onlyNew, ping: known({ PingStatus: "Online", AgentVersion: "3.2.1.0" }) }), "instance-profile")).toBe(
      "fail",
    );
    const simulated = known({
      profileArn: "arn:p",
      role: {
        name: "r",
        arn: "arn:r",
        permissions: known({ source: "simulation" as const, decisions: { "ssm:UpdateInstanceInformation": "allowed" as const } }),
      },
    });
    expect(run(facts({ profile: simulated }))["instance-profile"].message).toContain("iam:SimulatePrincipalPolicy");
  });

  it("vpc-dns: either attribute off fails with the command", () => {
    expect(run(facts({ dnsSupport: known(false) }))["vpc-dns"].fix).toContain("--enable-dns-support");
    expect(status(facts({ dnsHostnames: unknownRead("x") }), "vpc-dns")).toBe("unknown");
  });
});

describe("checksBeforeStack", () => {
  it("checks the path to the planned endpoints before they exist, without the endpoint checks", () => {
    const plan = {
      subnetIds: ["subnet-b"],
      sourceSecurityGroupIds: ["sg-app"],
      sourceCidrs: [],
      services: ["ssm", "ssmmessages", "ec2messages"],
    };
    const before = checksBeforeStack(facts({ endpoints: known([]) }), plan, now);
    expect(before.map((c) => c.name)).toEqual([
      "instance-running",
      "agent-ping",
      "route-to-endpoints",
      "nacl-instance-subnet",
      "nacl-endpoint-subnets",
      "instance-egress",
      "instance-profile",
      "vpc-dns",
    ]);
    expect(before.every((c) => c.status === "ok")).toBe(true);
    const onlyToGroup = known([
      {
        GroupId: "sg-app",
        IpPermissionsEgress: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: "sg-other" }] }],
      },
    ]);
    expect(
      checksBeforeStack(facts({ endpoints: known([]), securityGroups: onlyToGroup }), plan, now).find((c) => c.name === "instance-egress")
        ?.status,
    ).toBe("fail");
  });
});
