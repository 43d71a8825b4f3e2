import type { SecurityGroup, Subnet, VpcEndpoint } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import type { InstanceFacts, VpcFacts } from "../../../lib/core/vpc-facts.js";
import { type PlanInput, planTarget } from "../../../lib/sessions/open-plan.js";
import { thrownAppError } from "../../support/app-error.js";

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

describe("planTarget's refusals", () => {
  it("refuses a VPC that was not found with 404 on vpcId, naming the region", () => {
    expect(thrownAppError(() => planTarget(input(), facts({ vpc: undefined })))).toMatchObject({
      status: 404,
      field: "vpcId",
      message: `VPC ${VPC} was not found in eu-west-1; check the id and the region.`,
    });
  });

  const fix = (flag: string) => `aws ec2 modify-vpc-attribute --vpc-id ${VPC} --${flag} '{"Value":true}'`;
  it.each([
    [{ dnsSupport: false }, `enableDnsSupport is off. Fix: ${fix("enable-dns-support")}`],
    [{ dnsHostnames: false }, `enableDnsHostnames is off. Fix: ${fix("enable-dns-hostnames")}`],
    [
      { dnsSupport: false, dnsHostnames: false },
      `enableDnsSupport and enableDnsHostnames are off. Fix: ${fix("enable-dns-support")} && ${fix("enable-dns-hostnames")}`,
    ],
  ])("refuses DNS attributes %j off with the exact fix", (off, tail) => {
    expect(thrownAppError(() => planTarget(input(), facts(off)))).toMatchObject({
      code: "vpc_dns_disabled",
      field: "vpcId",
      message: `Private DNS on the endpoints needs enableDnsSupport and enableDnsHostnames on ${VPC}; ${tail}`,
    });
  });

  it("names the subnet and the field for a subnet of another VPC or two in one AZ", () => {
    expect(thrownAppError(() => planTarget(input({ subnetIds: ["subnet-x"] }), facts()))).toMatchObject({
      code: "subnet_not_in_vpc",
      field: "subnetIds",
      message: `Subnet subnet-x is not a subnet of ${VPC}; pick one of the VPC's subnets.`,
    });
    expect(thrownAppError(() => planTarget(input({ subnetIds: ["subnet-a", "subnet-a2"] }), facts()))).toMatchObject({
      status: 400,
      field: "subnetIds",
      message: "subnetIds has two subnets in eu-west-1a; an endpoint takes one subnet per Availability Zone.",
    });
  });

  it("refuses a VPC with no subnets, and skips subnets without an id when choosing one", () => {
    expect(thrownAppError(() => planTarget(input(), facts({ subnets: [] })))).toMatchObject({
      code: "vpc_has_no_subnets",
      field: "vpcId",
      message: `${VPC} has no subnets; create one for the endpoints.`,
    });
    const subnets = [{ AvailabilityZone: "eu-west-1a", VpcId: VPC }, subnet("subnet-b", "eu-west-1b")];
    expect(planTarget(input(), facts({ subnets })).subnetIds).toEqual(["subnet-b"]);
  });

  it("takes source groups of the VPC without CIDRs, and refuses an unknown group or one of another VPC", () => {
    const groups: SecurityGroup[] = [httpsOut, { GroupId: "sg-other", VpcId: "vpc-00000000" }];
    expect(planTarget(input({ sourceSecurityGroupIds: ["sg-app"] }), facts({ securityGroups: groups }))).toMatchObject({
      sourceSecurityGroupIds: ["sg-app"],
      sourceCidrs: [],
    });
    for (const groupId of ["sg-other", "sg-missing"]) {
      expect(
        thrownAppError(() => planTarget(input({ sourceSecurityGroupIds: ["sg-app", groupId] }), facts({ securityGroups: groups }))),
      ).toMatchObject({
        code: "security_group_not_in_vpc",
        field: "sourceSecurityGroupIds",
        message: `Security group ${groupId} is not in ${VPC}; give the groups of the instances that need access.`,
      });
    }
  });

  it("refuses an asked-for S3 endpoint without a route table, and drops an implied one with a warning", () => {
    expect(thrownAppError(() => planTarget(input({ extras: ["s3"] }), facts()))).toMatchObject({
      code: "no_route_table",
      field: "extras",
      message: `${VPC} has no route table for the S3 Gateway endpoint; drop "s3" from extras.`,
    });
    const needs: PlanInput["needs"] = {
      services: ["ssm", "s3"],
      implied: ["s3"],
      reasons: { s3: "the preferences log to S3." },
      notes: [],
    };
    const plan = planTarget(input({ needs }), facts());
    expect(plan.services).toEqual(["ssm"]);
    expect(plan.s3RouteTableIds).toEqual([]);
    expect(plan.warnings).toEqual([`s3: not created: ${VPC} has no route table for the S3 Gateway endpoint the preferences need.`]);
  });
});

describe("planTarget's choices", () => {
  it("counts pending endpoints and an S3 gateway (no private DNS) as existing, but not one merely named after the stack", () => {
    const plan = planTarget(
      input({ extras: ["s3", "kms"] }),
      facts({
        endpoints: [
          endpoint("ssm", { State: "pending" as VpcEndpoint["State"] }),
          endpoint("ssmmessages", { State: "pendingAcceptance" as VpcEndpoint["State"] }),
          endpoint("s3", { PrivateDnsEnabled: undefined }),
          endpoint("kms", { Tags: [{ Key: "Name", Value: `ssm-knock-${VPC}` }] }),
        ],
      }),
    );
    expect(plan.services).toEqual(["ec2messages"]);
    expect(plan.existing.map((e) => e.service)).toEqual(["ssm", "ssmmessages", "s3", "kms"]);
    expect(plan.s3RouteTableIds).toEqual([]);
  });

  it("joins a route table associated with several subnets, and a main table that also has subnets", () => {
    const routeTables = [
      { RouteTableId: "rtb-main", Associations: [{ SubnetId: "subnet-z" }, { Main: true }] },
      { RouteTableId: "rtb-shared", Associations: [{ SubnetId: "subnet-z" }, { SubnetId: "subnet-b" }] },
    ];
    const plan = planTarget(input({ subnetIds: ["subnet-a", "subnet-b"], extras: ["s3"] }), facts({ routeTables }));
    expect(plan.s3RouteTableIds).toEqual(["rtb-main", "rtb-shared"]);
  });

  it("keeps the needs' notes and tells why each service is made, or which endpoint already serves it", () => {
    const needs: PlanInput["needs"] = {
      services: ["ssm", "kms", "logs"],
      implied: [],
      reasons: { kms: "sessions are encrypted.", logs: "sessions log to CloudWatch." },
      notes: ["a note."],
    };
    const plan = planTarget(input({ needs }), facts({ endpoints: [endpoint("ssm"), endpoint("logs")] }));
    expect(plan.warnings).toEqual([
      "a note.",
      "kms: sessions are encrypted.",
      "logs: not created: the VPC's own endpoint vpce-logs already serves it.",
    ]);
  });

  it("uses the VPC's associated CIDR blocks, deduplicated and at most five, or none", () => {
    const block = (cidr: string, state = "associated") => ({ CidrBlock: cidr, CidrBlockState: { State: state as "associated" } });
    const set = ["10.0.0.0/16", "10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16", "10.4.0.0/16", "10.5.0.0/16"].map((c) =>
      block(c),
    );
    const vpc = { VpcId: VPC, CidrBlock: "10.0.0.0/16", CidrBlockAssociationSet: [block("10.9.0.0/16", "disassociated"), ...set] };
    expect(planTarget(input(), facts({ vpc })).sourceCidrs).toEqual([
      "10.0.0.0/16",
      "10.1.0.0/16",
      "10.2.0.0/16",
      "10.3.0.0/16",
      "10.4.0.0/16",
    ]);
    const onlyOld = { VpcId: VPC, CidrBlock: "10.0.0.0/16", CidrBlockAssociationSet: [block("10.9.0.0/16", "disassociated")] };
    expect(planTarget(input(), facts({ vpc: onlyOld })).sourceCidrs).toEqual(["10.0.0.0/16"]);
    expect(planTarget(input(), facts({ vpc: { VpcId: VPC } })).sourceCidrs).toEqual([]);
  });
});
