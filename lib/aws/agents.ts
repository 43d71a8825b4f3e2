import { DescribeInstanceInformationCommand, type SSMClient } from "@aws-sdk/client-ssm";
import { known, type PingFacts, type Read } from "../core/readiness-facts.js";
import { attempt } from "./iam-facts.js";

/**
 * SSM's view of one instance's agent, for the open to decide on ec2messages before the stack
 * exists: one DescribeInstanceInformation (ConnectionLost instances included: SSM keeps their
 * last agent version). Never throws; a failed read is `unknown`, which keeps ec2messages.
 */
export async function readAgent(ssm: SSMClient, instanceId: string): Promise<Read<PingFacts>> {
  const read = await attempt(() =>
    ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: "InstanceIds", Values: [instanceId] }] })),
  );
  if (!read.ok) return read;
  return known(read.value.InstanceInformationList?.find((info) => info.InstanceId === instanceId));
}
