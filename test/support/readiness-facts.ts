import type { NetworkAclEntry, SecurityGroup, VpcEndpoint } from "@aws-sdk/client-ec2";
import type { Check, CheckName, ReadinessFacts } from "../../lib/core/readiness-facts.js";
import { known } from "../../lib/core/readiness-facts.js";
import { readinessChecks } from "../../lib/readiness/checks.js";

// Every check rule on hand-made facts: a VPC where all pass (instance 10.0.1.10 in subnet-a with
// sg-app; endpoints in subnet-b with sg-vpce), then one change per case.

export const REGION = "us-east-1";
export const now = new Date("2026-12-01T10:10:00Z");
export const allow = (n: number, egress: boolean): NetworkAclEntry => ({
  RuleNumber: n,
  Egress: egress,
  Protocol: "-1",
  RuleAction: "allow",
  CidrBlock: "0.0.0.0/0",
});
export const endDeny = (egress: boolean): NetworkAclEntry => ({
  RuleNumber: 32767,
  Egress: egress,
  Protocol: "-1",
  RuleAction: "deny",
  CidrBlock: "0.0.0.0/0",
});
export const endpoint = (service: string, overrides: Partial<VpcEndpoint> = {}): VpcEndpoint => ({
  VpcEndpointId: `vpce-${service}`,
  VpcEndpointType: "Interface",
  ServiceName: `com.amazonaws.${REGION}.${service}`,
  State: "available" as VpcEndpoint["State"],
  PrivateDnsEnabled: true,
  SubnetIds: ["subnet-b"],
  Groups: [{ GroupId: "sg-vpce" }],
  ...overrides,
});
export const appGroup: SecurityGroup = {
  GroupId: "sg-app",
  IpPermissionsEgress: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
};
export const vpceGroup: SecurityGroup = {
  GroupId: "sg-vpce",
  IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: "sg-app" }] }],
};

export function facts(overrides: Partial<ReadinessFacts> = {}): ReadinessFacts {
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

export const run = (f: ReadinessFacts): Record<CheckName, Check> =>
  Object.fromEntries(readinessChecks(f, now).map((c) => [c.name, c])) as Record<CheckName, Check>;
export const status = (f: ReadinessFacts, name: CheckName) => run(f)[name].status;
