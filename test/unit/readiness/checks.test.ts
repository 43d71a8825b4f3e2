import type { VpcEndpoint } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { known, type ReadinessFacts, unknownRead } from "../../../lib/core/readiness-facts.js";
import { agentPath, checksBeforeStack, needsEc2messages, PLANNED, readinessChecks } from "../../../lib/readiness/checks.js";
import { endpoint, facts, now, run, status } from "../../support/readiness-facts.js";

// Every check rule on hand-made facts (test/support/readiness-facts.ts): a VPC where all pass,
// then one change per case. The network path checks are in path-checks.test.ts.

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
    expect(before.map((c) => c.name).join(" > ")).toBe(
      "instance-running > agent-ping > route-to-endpoints > nacl-instance-subnet > nacl-endpoint-subnets > instance-egress > instance-profile > vpc-dns",
    );
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

describe("the path checks' context", () => {
  const PATH = ["endpoint-ingress", "route-to-endpoints", "nacl-instance-subnet", "nacl-endpoint-subnets", "instance-egress"] as const;
  const pathSaid = (f: Parameters<typeof run>[0]) => PATH.map((name) => [run(f)[name].status, run(f)[name].message]);

  it("are unknown when the instance's address is not known, or there is no endpoint", () => {
    const noAddress: ReadinessFacts["instance"] = known({ InstanceId: "i-1", State: { Name: "running" }, SubnetId: "subnet-a" });
    expect(pathSaid(facts({ instance: noAddress }))).toEqual(
      PATH.map(() => ["unknown", "The instance's subnet and address are not known."]),
    );
    expect(pathSaid(facts({ endpoints: known([]) }))).toEqual(PATH.map(() => ["unknown", "There is no endpoint to check the path to."]));
  });

  it("include the ec2messages endpoint only for an agent that needs it", () => {
    const endpoints = known([endpoint("ssm"), endpoint("ssmmessages"), endpoint("ec2messages", { Groups: [{ GroupId: "sg-unread" }] })]);
    expect(status(facts({ endpoints }), "endpoint-ingress")).toBe("ok");
    const old: ReadinessFacts["ping"] = known({ InstanceId: "i-1", PingStatus: "Online", AgentVersion: "3.2.1.0" });
    expect(status(facts({ endpoints, ping: old }), "endpoint-ingress")).toBe("unknown");
  });

  it("skip the instance's group entries without an id", () => {
    const instance: ReadinessFacts["instance"] = known({
      InstanceId: "i-1",
      State: { Name: "running" },
      SubnetId: "subnet-a",
      PrivateIpAddress: "10.0.1.10",
      SecurityGroups: [{ GroupId: "sg-app" }, {}],
    });
    expect(run(facts({ instance }))["instance-egress"]).toMatchObject({
      status: "ok",
      message: "The groups of i-1 allow TCP 443 out to the endpoints.",
    });
  });
});

describe("checksBeforeStack's planned endpoints", () => {
  const plan = { subnetIds: ["subnet-c"], sourceSecurityGroupIds: ["sg-app"], sourceCidrs: [], services: ["ssm", "ssmmessages"] };
  const subnets = known([
    { SubnetId: "subnet-a", CidrBlock: "10.0.1.0/24" },
    { SubnetId: "subnet-b", CidrBlock: "10.0.2.0/24" },
    { SubnetId: "subnet-c", CidrBlock: "10.0.3.0/24" },
  ]);
  const egress = (permission: object) =>
    known([{ GroupId: "sg-app", IpPermissionsEgress: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, ...permission }] }]);
  const egressCheck = (permission: object, endpoints: ReadinessFacts["endpoints"] = known([])) =>
    checksBeforeStack(facts({ endpoints, subnets, securityGroups: egress(permission) }), plan, now).find(
      (c) => c.name === "instance-egress",
    );
  const egressStatus = (permission: object, endpoints?: ReadinessFacts["endpoints"]) => egressCheck(permission, endpoints)?.status;

  it("sit in the plan's subnets, behind the planned group", () => {
    expect(egressStatus({ UserIdGroupPairs: [{ GroupId: PLANNED }] })).toBe("ok");
    expect(egressStatus({ IpRanges: [{ CidrIp: "10.0.3.0/24" }] })).toBe("ok");
    expect(egressStatus({ IpRanges: [{ CidrIp: "10.0.2.0/24" }] })).toBe("fail");
  });

  it("have private DNS, so the agent would use them rather than an existing endpoint without it", () => {
    const dnsOff = known([endpoint("ssm", { PrivateDnsEnabled: false })]);
    expect(egressStatus({ IpRanges: [{ CidrIp: "10.0.3.0/24" }] }, dnsOff)).toBe("ok");
  });

  it("are named planned-endpoint in the messages", () => {
    expect(egressCheck({ IpRanges: [{ CidrIp: "10.0.2.0/24" }] })?.message).toBe(
      "The groups of i-1 (sg-app) allow no TCP 443 out to planned-endpoint in subnet-c, planned-endpoint in subnet-c.",
    );
  });
});
