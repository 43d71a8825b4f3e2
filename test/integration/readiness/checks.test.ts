import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  DeleteVpcEndpointsCommand,
  DescribeNetworkAclsCommand,
  ModifyVpcAttributeCommand,
  ReplaceNetworkAclAssociationCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  StopInstancesCommand,
} from "@aws-sdk/client-ec2";
import { DetachRolePolicyCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { SSMClient } from "@aws-sdk/client-ssm";
import { beforeEach, describe, expect, it } from "vitest";
import { gatherReadinessFacts } from "../../../lib/aws/readiness-facts.js";
import { readinessChecks } from "../../../lib/readiness/checks.js";
import { CORE_POLICY_ARN, runInstance } from "../../../local/agent/seed.js";
import { type ReadinessWorld, readinessWorld } from "../../support/readiness-world.js";

// Every readiness check against moto state: the world of test/support/readiness-world.ts passes
// them all; each case breaks one thing the way an operator would and reads the checks again.
//   instance state; endpoints (missing); endpoint group ingress (by group, by address);
//   instance egress (none, part of the subnet); NACLs of both subnets (default deny, deny rule
//   before allow, return ports); instance profile (none, no SSM policy, inline allow, explicit
//   deny); VPC DNS; SSM reads that moto cannot answer degrade to unknown.

let w: ReadinessWorld;
beforeEach(async () => {
  w = await readinessWorld();
});

const tcp443 = { IpProtocol: "tcp", FromPort: 443, ToPort: 443 };

describe("readiness checks against moto", () => {
  it("passes every check in the working world, and leaves SSM's view unknown where moto cannot answer", async () => {
    const ssm = new SSMClient({ region: "us-east-1", maxAttempts: 1 });
    const checks = await w.checks({ ssm });
    const failing = Object.values(checks).filter((c) => c.status !== "ok");
    expect(failing.map((c) => c.name)).toEqual(["agent-ping"]);
    expect(checks["agent-ping"].status).toBe("unknown");
  });

  it("fails instance-running for a stopped instance, with the start command", async () => {
    await w.ec2.send(new StopInstancesCommand({ InstanceIds: [w.instanceId] }));
    const { "instance-running": running } = await w.checks();
    expect(running.status).toBe("fail");
    expect(running.fix).toContain(`aws ec2 start-instances --instance-ids ${w.instanceId}`);
  });

  it("fails the endpoint check of a service whose endpoint is gone", async () => {
    await w.ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [w.endpointIds.ssmmessages] }));
    const checks = await w.checks();
    expect(checks["endpoint-ssmmessages"].status).toBe("fail");
    expect(checks["endpoint-ssmmessages"].fix).toContain("com.amazonaws.us-east-1.ssmmessages");
    expect(checks["endpoint-ssm"].status).toBe("ok");
  });

  it("fails endpoint-ingress when the endpoints' group no longer admits the instance, and passes for its address", async () => {
    const rule = { ...tcp443, UserIdGroupPairs: [{ GroupId: w.world.securityGroupId }] };
    await w.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: w.endpointGroupId, IpPermissions: [rule] }));
    expect((await w.checks())["endpoint-ingress"]).toMatchObject({ status: "fail", fix: expect.stringContaining("TCP 443") });
    await w.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: w.endpointGroupId,
        IpPermissions: [{ ...tcp443, IpRanges: [{ CidrIp: "10.42.1.0/24" }] }],
      }),
    );
    expect((await w.checks())["endpoint-ingress"].status).toBe("ok");
  });

  it("fails instance-egress without an outbound rule, warns for part of the endpoints' subnet, passes for all of it", async () => {
    const everything = { IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] };
    await w.ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: w.world.securityGroupId, IpPermissions: [everything] }));
    expect((await w.checks())["instance-egress"].status).toBe("fail");
    const part = { ...tcp443, IpRanges: [{ CidrIp: "10.42.2.0/28" }] };
    await w.ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: w.world.securityGroupId, IpPermissions: [part] }));
    expect((await w.checks())["instance-egress"].status).toBe("warn");
    const toGroup = { ...tcp443, UserIdGroupPairs: [{ GroupId: w.endpointGroupId }] };
    await w.ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: w.world.securityGroupId, IpPermissions: [toGroup] }));
    expect((await w.checks())["instance-egress"].status).toBe("ok");
  });

  /** A new (deny-all) ACL on one of the world's subnets; returns its id. */
  async function customAcl(subnetIndex: number): Promise<string> {
    const { NetworkAcl } = await w.ec2.send(new CreateNetworkAclCommand({ VpcId: w.world.vpcId }));
    const aclId = NetworkAcl?.NetworkAclId as string;
    const { NetworkAcls } = await w.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "vpc-id", Values: [w.world.vpcId] }] }));
    const association = NetworkAcls?.flatMap((a) => a.Associations ?? []).find((a) => a.SubnetId === w.world.subnetIds[subnetIndex]);
    await w.ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: association?.NetworkAclAssociationId, NetworkAclId: aclId }));
    return aclId;
  }

  const entry = (aclId: string, RuleNumber: number, Egress: boolean, from: number, to: number, RuleAction: "allow" | "deny" = "allow") =>
    new CreateNetworkAclEntryCommand({
      NetworkAclId: aclId,
      RuleNumber,
      Egress,
      Protocol: "6",
      RuleAction,
      CidrBlock: "10.42.0.0/16",
      PortRange: { From: from, To: to },
    });

  it("walks the instance subnet's ACL in rule order: default deny, then the missing return ports, then a deny before an allow", async () => {
    const aclId = await customAcl(0);
    const first = (await w.checks())["nacl-instance-subnet"];
    expect(first).toMatchObject({ status: "fail", message: expect.stringContaining("the default rule (*)") });
    await w.ec2.send(entry(aclId, 100, true, 443, 443));
    const second = (await w.checks())["nacl-instance-subnet"];
    expect(second.status).toBe("fail");
    expect(second.message).toContain("TCP 1024-65535 in from");
    expect(second.message).not.toContain("TCP 443 out to subnet");
    await w.ec2.send(entry(aclId, 100, false, 1024, 65535));
    expect((await w.checks())["nacl-instance-subnet"].status).toBe("ok");
    await w.ec2.send(entry(aclId, 90, true, 443, 443, "deny"));
    expect((await w.checks())["nacl-instance-subnet"]).toMatchObject({ status: "fail", message: expect.stringContaining("rule 90") });
    expect((await w.checks())["nacl-endpoint-subnets"].status).toBe("ok");
  });

  it("warns when the endpoint subnet's ACL returns only part of the ephemeral ports", async () => {
    const aclId = await customAcl(1);
    await w.ec2.send(entry(aclId, 100, false, 443, 443));
    await w.ec2.send(entry(aclId, 110, true, 32768, 65535));
    const check = (await w.checks())["nacl-endpoint-subnets"];
    expect(check.status).toBe("warn");
    expect(check.fix).toContain(aclId);
    await w.ec2.send(entry(aclId, 120, true, 1024, 32767));
    expect((await w.checks())["nacl-endpoint-subnets"].status).toBe("ok");
  });

  it("fails instance-profile for an instance without a profile once DHMC is known to be off", async () => {
    const bare = await runInstance(w.ec2, w.world);
    const facts = await w.facts();
    const [noProfile] = await gatherReadinessFacts({ ec2: w.ec2, iam: w.iam }, { region: "us-east-1", instanceIds: [bare] });
    const unknownDhmc = readinessChecks(noProfile, new Date()).find((c) => c.name === "instance-profile");
    expect(unknownDhmc?.status).toBe("warn");
    const off = readinessChecks({ ...noProfile, dhmc: { ok: true, value: {} } }, new Date()).find((c) => c.name === "instance-profile");
    expect(off).toMatchObject({ status: "fail", fix: expect.stringContaining("AmazonSSMManagedInstanceCore") });
    const on = readinessChecks({ ...noProfile, dhmc: { ok: true, value: { roleName: "dhmc-role" } } }, new Date());
    expect(on.find((c) => c.name === "instance-profile")?.status).toBe("ok");
    expect(facts.profile.ok && facts.profile.value?.role?.name).toBe(w.profile);
  });

  it("fails instance-profile when the role loses AmazonSSMManagedInstanceCore, passes with an equivalent inline policy, fails on an explicit deny", async () => {
    await w.iam.send(new DetachRolePolicyCommand({ RoleName: w.profile, PolicyArn: CORE_POLICY_ARN }));
    const detached = (await w.checks())["instance-profile"];
    expect(detached.status).toBe("fail");
    expect(detached.message).toContain("ssm:UpdateInstanceInformation");
    expect(detached.fix).toContain(`--role-name ${w.profile}`);
    const allow = { Effect: "Allow", Action: ["ssm:UpdateInstanceInformation", "ssmmessages:*", "ec2messages:*"], Resource: "*" };
    await w.iam.send(
      new PutRolePolicyCommand({
        RoleName: w.profile,
        PolicyName: "agent",
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [allow] }),
      }),
    );
    expect((await w.checks())["instance-profile"].status).toBe("ok");
    const deny = { Effect: "Deny", Action: "ssmmessages:OpenDataChannel", Resource: "*" };
    await w.iam.send(
      new PutRolePolicyCommand({
        RoleName: w.profile,
        PolicyName: "deny",
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [deny] }),
      }),
    );
    expect((await w.checks())["instance-profile"]).toMatchObject({ status: "fail", message: expect.stringContaining("(explicit deny)") });
  });

  it("fails vpc-dns when DNS hostnames are off, naming the command", async () => {
    await w.ec2.send(new ModifyVpcAttributeCommand({ VpcId: w.world.vpcId, EnableDnsHostnames: { Value: false } }));
    const { "vpc-dns": dns } = await w.checks();
    expect(dns.status).toBe("fail");
    expect(dns.fix).toContain(`--vpc-id ${w.world.vpcId} --enable-dns-hostnames`);
  });
});
