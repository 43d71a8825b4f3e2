import type { Stack } from "@aws-sdk/client-cloudformation";
import { DeleteVpcEndpointsCommand, DescribeVpcEndpointsCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { TAG } from "../lib/core/tags.js";

/**
 * What moto leaves undone: a deleted stack's VPC endpoints stay (CloudFormation deletes them in
 * AWS), and a new session in the same VPC would meet them, available and with their security
 * group gone, in its readiness checks. Deletes the endpoints of ssm-knock's stacks that no longer
 * exist; returns how many. Local mode only.
 */
export async function deleteEndpointsOfDeletedStacks(ec2: EC2Client, liveStacks: Stack[]): Promise<number> {
  const live = new Set(liveStacks.map((stack) => stack.StackId));
  const { VpcEndpoints } = await ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: `tag:${TAG.managed}`, Values: ["true"] }] }));
  const orphans = (VpcEndpoints ?? []).filter((endpoint) => {
    const stackId = endpoint.Tags?.find((tag) => tag.Key === "aws:cloudformation:stack-id")?.Value;
    return stackId && !live.has(stackId) && endpoint.VpcEndpointId && (endpoint.State ?? "").toLowerCase() !== "deleted";
  });
  if (orphans.length) await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: orphans.map((e) => e.VpcEndpointId as string) }));
  return orphans.length;
}
