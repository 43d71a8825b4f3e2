import type { NetworkAclEntry, SecurityGroup, VpcEndpoint } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { type CheckName, known, type ReadinessFacts } from "../../../lib/core/readiness-facts.js";
import { allow, appGroup, endDeny, endpoint, facts, run, vpceGroup } from "../../support/readiness-facts.js";

// The path checks' exact words (lib/readiness/path-checks.ts): security groups both ways and
// the network ACLs of both subnets. The instance is 10.0.1.10 in subnet-a with sg-app.

const said = (f: ReadinessFacts, name: CheckName) => {
  const { status, message, fix } = run(f)[name];
  return [status, message, fix];
};
const subnets = known(["a", "b", "c", "d"].map((x, i) => ({ SubnetId: `subnet-${x}`, CidrBlock: `10.0.${i + 1}.0/24` })));
const endpoints = (...list: VpcEndpoint[]) => known(list);
const https443 = (n: number, egress: boolean, action: "allow" | "deny", cidr = "10.0.0.0/16"): NetworkAclEntry => ({
  RuleNumber: n,
  Egress: egress,
  Protocol: "6",
  RuleAction: action,
  CidrBlock: cidr,
  PortRange: { From: 443, To: 443 },
});
const acl = (id: string, subnetIds: string[], entries: NetworkAclEntry[]) => ({
  NetworkAclId: id,
  Associations: subnetIds.map((SubnetId) => ({ SubnetId })),
  Entries: [...entries, allow(200, true), allow(200, false)],
});
const defaultAcl = { NetworkAclId: "acl-default", IsDefault: true, Entries: [allow(100, true), allow(100, false)] };
const SAME = "The endpoints share the instance's subnet; network ACLs do not filter traffic inside a subnet.";

describe("endpoint-ingress's words", () => {
  it("admits, refuses naming every group, and cannot tell for an unread group", () => {
    expect(said(facts(), "endpoint-ingress")).toEqual(["ok", "The endpoints' security groups admit TCP 443 from i-1.", null]);
    const closed = known([appGroup, { GroupId: "sg-vpce", IpPermissions: [] }, { GroupId: "sg-b", IpPermissions: [] }]);
    const twoGroups = endpoints(endpoint("ssm", { Groups: [{ GroupId: "sg-vpce" }, { GroupId: "sg-b" }] }));
    expect(said(facts({ securityGroups: closed, endpoints: twoGroups }), "endpoint-ingress")[1]).toBe(
      "The security groups of vpce-ssm (sg-vpce, sg-b) do not admit TCP 443 from i-1.",
    );
    const unread = endpoints(
      endpoint("ssm", { Groups: [{ GroupId: "sg-unread" }] }),
      endpoint("ssmmessages", { VpcEndpointId: undefined, Groups: [{ GroupId: "sg-unread" }] }),
    );
    expect(said(facts({ endpoints: unread }), "endpoint-ingress")).toEqual([
      "unknown",
      "Could not tell whether vpce-ssm, ? admit TCP 443 (groups or prefix lists not readable).",
      null,
    ]);
  });

  it("skips group entries without an id", () => {
    expect(said(facts({ endpoints: endpoints(endpoint("ssm", { Groups: [{ GroupId: "sg-vpce" }, {}] })) }), "endpoint-ingress")[0]).toBe(
      "ok",
    );
  });
});

describe("instance-egress's words", () => {
  const egressTo = (...cidrs: string[]): SecurityGroup => ({
    GroupId: "sg-app",
    IpPermissionsEgress: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: cidrs.map((CidrIp) => ({ CidrIp })) }],
  });
  const spread = endpoints(endpoint("ssm", { SubnetIds: ["subnet-b", "subnet-c"] }));

  it("allows, and names only the subnets it does not reach, part or whole", () => {
    expect(said(facts(), "instance-egress")).toEqual(["ok", "The groups of i-1 allow TCP 443 out to the endpoints.", null]);
    const fix = "Add an outbound rule for TCP 443 to the endpoints' subnets or their security group on sg-app.";
    expect(
      said(facts({ subnets, endpoints: spread, securityGroups: known([egressTo("10.0.2.0/24"), vpceGroup]) }), "instance-egress"),
    ).toEqual(["fail", "The groups of i-1 (sg-app) allow no TCP 443 out to vpce-ssm in subnet-c.", fix]);
    expect(
      said(
        facts({ subnets, endpoints: spread, securityGroups: known([egressTo("10.0.2.0/24", "10.0.3.0/25"), vpceGroup]) }),
        "instance-egress",
      ),
    ).toEqual(["warn", "The groups of i-1 (sg-app) allow TCP 443 out to only part of the subnets of vpce-ssm in subnet-c.", fix]);
  });

  it("may not allow what only a prefix list could, and names no fix for it", () => {
    const prefixOnly = {
      GroupId: "sg-app",
      IpPermissionsEgress: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: "pl-1" }] }],
    };
    expect(
      said(facts({ endpoints: endpoints(endpoint("ssm")), securityGroups: known([prefixOnly, vpceGroup]) }), "instance-egress"),
    ).toEqual(["unknown", "The groups of i-1 (sg-app) may not allow TCP 443 out to vpce-ssm in subnet-b.", null]);
  });

  it("lists every group of the instance", () => {
    const instance = known({
      InstanceId: "i-1",
      SubnetId: "subnet-a",
      PrivateIpAddress: "10.0.1.10",
      SecurityGroups: [{ GroupId: "sg-app" }, { GroupId: "sg-two" }],
    });
    const groups = known([{ GroupId: "sg-app", IpPermissionsEgress: [] }, { GroupId: "sg-two", IpPermissionsEgress: [] }, vpceGroup]);
    expect(said(facts({ instance, securityGroups: groups, endpoints: endpoints(endpoint("ssm")) }), "instance-egress")[1]).toBe(
      "The groups of i-1 (sg-app, sg-two) allow no TCP 443 out to vpce-ssm in subnet-b.",
    );
    expect(said(facts({ instance, securityGroups: groups }), "instance-egress")[1]).toBe(
      "The groups of i-1 (sg-app, sg-two) allow no TCP 443 out to vpce-ssm in subnet-b, vpce-ssmmessages in subnet-b.",
    );
  });

  it("has nothing to check for endpoints without subnets", () => {
    expect(said(facts({ endpoints: endpoints(endpoint("ssm", { SubnetIds: undefined })) }), "instance-egress")[0]).toBe("ok");
    expect(said(facts({ endpoints: endpoints(endpoint("ssm", { SubnetIds: undefined })) }), "nacl-instance-subnet")).toEqual([
      "ok",
      SAME,
      null,
    ]);
  });
});

describe("the network ACL checks' words", () => {
  it("names both legs when allowed, for either subnet", () => {
    const f = facts({ networkAcls: known([defaultAcl]) });
    expect(said(f, "nacl-instance-subnet")).toEqual([
      "ok",
      "acl-default of subnet-a allows TCP 443 out to subnet-b and TCP 1024-65535 in from subnet-b.",
      null,
    ]);
    expect(said(f, "nacl-endpoint-subnets")).toEqual([
      "ok",
      "acl-default of subnet-b allows TCP 443 in from 10.0.1.10 and TCP 1024-65535 out to 10.0.1.10.",
      null,
    ]);
    const inside = facts({ endpoints: endpoints(endpoint("ssm", { SubnetIds: ["subnet-a"] })) });
    expect(said(inside, "nacl-endpoint-subnets")).toEqual(["ok", SAME, null]);
  });

  it("names the rule that denies a leg, or the rules that deny part of it, with the fix", () => {
    const fix =
      "Add allow rules to acl-x for TCP 443 out to subnet-b and TCP 1024-65535 in from subnet-b, numbered below any deny rule that matches.";
    const denied = known([acl("acl-x", ["subnet-z", "subnet-a"], [https443(90, true, "deny")]), defaultAcl]);
    expect(said(facts({ networkAcls: denied }), "nacl-instance-subnet")).toEqual([
      "fail",
      "acl-x of subnet-a: TCP 443 out to subnet-b is denied by rule 90.",
      fix,
    ]);
    const part = known([
      acl("acl-x", ["subnet-a"], [https443(90, true, "deny", "10.0.2.0/25"), https443(95, true, "deny", "10.0.2.128/26")]),
      defaultAcl,
    ]);
    expect(said(facts({ networkAcls: part }), "nacl-instance-subnet")).toEqual([
      "warn",
      "acl-x of subnet-a: TCP 443 out to subnet-b is partly denied (rule 90, rule 95).",
      fix,
    ]);
  });

  it("names every leg it denies, one after the other", () => {
    const both = known([acl("acl-x", ["subnet-a"], [https443(90, true, "deny"), { ...endDeny(false), RuleNumber: 91 }]), defaultAcl]);
    expect(said(facts({ networkAcls: both }), "nacl-instance-subnet")[1]).toBe(
      "acl-x of subnet-a: TCP 443 out to subnet-b is denied by rule 90; TCP 1024-65535 in from subnet-b is denied by rule 91.",
    );
  });

  it("uses the subnet's own ACL, not the first one with any association", () => {
    const other = known([acl("acl-other", ["subnet-z"], [https443(90, true, "deny")]), defaultAcl]);
    expect(said(facts({ networkAcls: other }), "nacl-instance-subnet")[0]).toBe("ok");
  });

  it("reports only the worst subnets, in order, with the first one's fix", () => {
    const spread = endpoints(endpoint("ssm", { SubnetIds: ["subnet-d", "subnet-b", "subnet-c"] }));
    const inDenied = (n: number) => https443(n, false, "deny", "10.0.1.0/24");
    const acls = known([acl("acl-c", ["subnet-c"], [inDenied(90)]), acl("acl-d", ["subnet-d"], [inDenied(80)]), defaultAcl]);
    expect(said(facts({ subnets, endpoints: spread, networkAcls: acls }), "nacl-endpoint-subnets")).toEqual([
      "fail",
      "acl-c of subnet-c: TCP 443 in from 10.0.1.10 is denied by rule 90. acl-d of subnet-d: TCP 443 in from 10.0.1.10 is denied by rule 80.",
      "Add allow rules to acl-c for TCP 443 in from 10.0.1.10 and TCP 1024-65535 out to 10.0.1.10, numbered below any deny rule that matches.",
    ]);
  });
});
