import { AssociateIamInstanceProfileCommand, type EC2Client, RunInstancesCommand, type Tag } from "@aws-sdk/client-ec2";
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  type IAMClient,
} from "@aws-sdk/client-iam";
import { DEMO_INSTANCE, type DemoWorld } from "../seed.js";
import { AGENT_TAGS } from "./tags.js";

export const CORE_POLICY_ARN = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";

const EC2_TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/**
 * An instance profile whose role carries `policyArns` (AmazonSSMManagedInstanceCore unless told
 * otherwise: moto has it when started with MOTO_IAM_LOAD_MANAGED_POLICIES=true). Returns its name.
 */
export async function createInstanceProfile(iam: IAMClient, name: string, policyArns: string[] = [CORE_POLICY_ARN]): Promise<string> {
  await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: EC2_TRUST }));
  for (const PolicyArn of policyArns) await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn }));
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: name }));
  return name;
}

/** One instance in the world's first subnet and group, with tags and (optionally) a profile. */
export async function runInstance(ec2: EC2Client, world: DemoWorld, options: { profile?: string; tags?: Tag[] } = {}): Promise<string> {
  const { Instances } = await ec2.send(
    new RunInstancesCommand({
      ...DEMO_INSTANCE,
      MinCount: 1,
      MaxCount: 1,
      SubnetId: world.subnetIds[0],
      SecurityGroupIds: [world.securityGroupId],
      IamInstanceProfile: options.profile ? { Name: options.profile } : undefined,
      TagSpecifications: options.tags?.length ? [{ ResourceType: "instance", Tags: options.tags }] : undefined,
    }),
  );
  return Instances?.[0]?.InstanceId as string;
}

export interface AgentDemo {
  /** The profile (AmazonSSMManagedInstanceCore) now on the world's instances. */
  profile: string;
  /** Lost its connection 6 hours before local mode started. */
  offlineInstanceId: string;
  /** Has no instance profile: its agent is refused until it gets one. */
  noProfileInstanceId: string;
}

/**
 * The agent model's part of the demo (issue 14): an instance profile with
 * AmazonSSMManagedInstanceCore on the world's instances, an instance cut off for 6 hours, and one
 * without a profile, which never comes Online.
 */
export async function seedAgentDemo(ec2: EC2Client, iam: IAMClient, world: DemoWorld): Promise<AgentDemo> {
  const profile = await createInstanceProfile(iam, "ssm-knock-demo-agent");
  for (const InstanceId of world.instanceIds) {
    await ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId, IamInstanceProfile: { Name: profile } }));
  }
  const offlineInstanceId = await runInstance(ec2, world, {
    profile,
    tags: [
      { Key: "Name", Value: "cut-off-6h" },
      { Key: AGENT_TAGS.offlineFor, Value: "6h" },
    ],
  });
  const noProfileInstanceId = await runInstance(ec2, world, { tags: [{ Key: "Name", Value: "no-instance-profile" }] });
  return { profile, offlineInstanceId, noProfileInstanceId };
}
