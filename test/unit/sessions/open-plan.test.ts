import type { SecurityGroup, Subnet, VpcEndpoint } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import type { InstanceFacts, VpcFacts } from "../../../lib/core/vpc-facts.js";
import { type PlanInput, planTarget } from "../../../lib/sessions/open-plan.js";

const VPC = "vpc-0123456789abcdef0";
const subnet = (id: string, zone: string): Subnet => ({ SubnetId: id, AvailabilityZone: zone, VpcId: VPC });
const instance: InstanceFacts = {
  id: "i-0123456789abcdef0",
  vpcId: VPC,
  subnetId: "subnet-a",
  availabilityZone: "eu-west-1a",
  securityGroupIds: ["sg-app"],
  tags: {},
};
const httpsOut: SecurityGroup = { GroupId: "sg-app", VpcId: VPC, IpPermissionsEgress: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443 }] };

const facts = (overrides: Partial<VpcFacts> = {}): VpcFacts => ({
  vpc: { VpcId: VPC, CidrBlock: "10.0.0.0/16" },
  dnsSupport: true,
  dnsHostnames: true,
  subnets: [subnet("subnet-b", "eu-west-1b"), subnet("subnet-a", "eu-west-1a"), subnet("subnet-a2", "eu-west-1a")],
  endpoints: [],
  routeTables: [],
  securityGroups: [httpsOut],
  natGateways: [],
  ...overrides,
});
const input = (overrides: Partial<PlanInput> = {}): PlanInput => ({
  vpcId: VPC,
  region: "eu-west-1",
  extras: [],
  stackName: `ssm-knock-${VPC}`,
  ...overrides,
});
const endpoint = (service: string, extra: Partial<VpcEndpoint> = {}): VpcEndpoint => ({
  VpcEndpointId: `vpce-${service}`,
  ServiceName: `com.amazonaws.eu-west-1.${service}`,
  State: "available" as VpcEndpoint["State"],
  PrivateDnsEnabled: true,
  ...extra,
});

describe("planTarget", () => {
  it("uses the instance's subnet and groups", () => {
    const plan = planTarget(input({ instance }), facts());
    expect(plan).toMatchObject({ subnetIds: ["subnet-a"], sourceSecurityGroupIds: ["sg-app"], sourceCidrs: [], warnings: [] });
    expect(plan.services).toEqual(["ssm", "ssmmessages", "ec2messages"]);
  });

  it("defaults a VPC to its first subnet by AZ and to its CIDR blocks", () => {
    expect(planTarget(input(), facts())).toMatchObject({
      subnetIds: ["subnet-a"],
      sourceSecurityGroupIds: [],
      sourceCidrs: ["10.0.0.0/16"],
    });
  });

  it("names the attributes and the command to fix them when DNS is off", () => {
    expect(() => planTarget(input(), facts({ dnsHostnames: false }))).toThrow(/enableDnsHostnames is off.*--enable-dns-hostnames/);
  });

  it("refuses two subnets in one AZ and a subnet of another VPC", () => {
    expect(() => planTarget(input({ subnetIds: ["subnet-a", "subnet-a2"] }), facts())).toThrow(/one subnet per Availability Zone/);
    expect(() => planTarget(input({ subnetIds: ["subnet-elsewhere"] }), facts())).toThrow(/not a subnet of/);
  });

  it("skips endpoints someone else made with private DNS, but not ours, dead ones or ones without private DNS", () => {
    const plan = planTarget(
      input(),
      facts({
        endpoints: [
          endpoint("ssm"),
          endpoint("ssmmessages", { PrivateDnsEnabled: false }),
          endpoint("ec2messages", { State: "deleted" as VpcEndpoint["State"] }),
          endpoint("kms", { Tags: [{ Key: "ssm-knock:managed", Value: "true" }] }),
        ],
      }),
    );
    expect(plan.services).toEqual(["ssmmessages", "ec2messages"]);
    expect(plan.existing).toEqual([{ service: "ssm", id: "vpce-ssm" }]);
  });

  it("counts this session's own endpoints as its own, and another stage's session's as existing", () => {
    const stackTag = (stackName: string) => [
      { Key: "ssm-knock:managed", Value: "true" },
      { Key: "aws:cloudformation:stack-name", Value: stackName },
    ];
    const plan = planTarget(
      input({ stackName: `ssm-knock-dev-${VPC}` }),
      facts({
        endpoints: [
          endpoint("ssm", { Tags: stackTag(`ssm-knock-dev-${VPC}`) }),
          // prod's session in the same VPC: its endpoints serve the VPC already, and a second
          // endpoint with private DNS for the service would fail ("conflicting DNS domain").
          endpoint("ec2messages", { Tags: stackTag(`ssm-knock-prod-${VPC}`) }),
        ],
      }),
    );
    expect(plan.services).toEqual(["ssm", "ssmmessages"]);
    expect(plan.existing).toEqual([{ service: "ec2messages", id: "vpce-ec2messages" }]);
  });

  it("puts the S3 Gateway endpoint on the subnets' route tables, falling back to the main one", () => {
    const routeTables = [
      { RouteTableId: "rtb-main", Associations: [{ Main: true }] },
      { RouteTableId: "rtb-b", Associations: [{ SubnetId: "subnet-b" }] },
    ];
    const plan = planTarget(input({ subnetIds: ["subnet-a", "subnet-b"], extras: ["s3"] }), facts({ routeTables }));
    expect(plan.s3RouteTableIds).toEqual(["rtb-b", "rtb-main"]);
    expect(plan.services).toContain("s3");
  });
});
