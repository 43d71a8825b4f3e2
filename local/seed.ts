import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  type EC2Client,
  ModifyVpcAttributeCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";

/** What every demo instance runs as (the emulator accepts any image id; looking one up costs it seconds). */
export const DEMO_INSTANCE = { ImageId: "ami-0123456789abcdef0", InstanceType: "t3.micro" } as const;

export interface DemoWorld {
  region: string;
  vpcId: string;
  subnetIds: string[];
  securityGroupId: string;
  instanceIds: string[];
  /** The instances' Name tags, in the same order: demo-1, demo-2, ... */
  instanceNames: string[];
}

export interface SeedOptions {
  region: string;
  /** enableDnsSupport and enableDnsHostnames; both on unless told otherwise. */
  dns?: boolean;
  cidr?: string;
  instances?: number;
}

/**
 * A VPC as teams have them: DNS support and hostnames on, a private subnet in each of two AZs, a
 * security group that allows outbound HTTPS, and instances in the first subnet.
 */
export async function seedWorld(ec2: EC2Client, options: SeedOptions): Promise<DemoWorld> {
  const { region } = options;
  const cidr = options.cidr ?? "10.42.0.0/16";
  const prefix = cidr.split(".").slice(0, 2).join(".");
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
  const vpcId = Vpc?.VpcId as string;
  const dns = options.dns ?? true;
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsSupport: { Value: dns } }));
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: dns } }));
  const subnetIds: string[] = [];
  for (const [index, zone] of ["a", "b"].entries()) {
    const { Subnet } = await ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `${prefix}.${index + 1}.0/24`, AvailabilityZone: `${region}${zone}` }),
    );
    subnetIds.push(Subnet?.SubnetId as string);
  }
  const { GroupId } = await ec2.send(
    new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: `app-${vpcId}`, Description: "application instances" }),
  );
  const securityGroupId = GroupId as string;
  const instanceIds: string[] = [];
  const count = options.instances ?? 2;
  if (count > 0) {
    const { Instances } = await ec2.send(
      new RunInstancesCommand({
        ...DEMO_INSTANCE,
        MinCount: count,
        MaxCount: count,
        SubnetId: subnetIds[0],
        SecurityGroupIds: [securityGroupId],
      }),
    );
    for (const instance of Instances ?? []) instanceIds.push(instance.InstanceId as string);
  }
  // Name tags, as people find their instances (and the CLI resolves them).
  const instanceNames = instanceIds.map((_, index) => `demo-${index + 1}`);
  for (const [index, instanceId] of instanceIds.entries()) {
    await ec2.send(new CreateTagsCommand({ Resources: [instanceId], Tags: [{ Key: "Name", Value: instanceNames[index] }] }));
  }
  return { region, vpcId, subnetIds, securityGroupId, instanceIds, instanceNames };
}
