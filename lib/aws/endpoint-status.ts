import { DescribeVpcEndpointsCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { DescribeInstanceInformationCommand, type SSMClient } from "@aws-sdk/client-ssm";
import { shortServiceName } from "../core/endpoint-services.js";
import type { EndpointView } from "../core/session.js";

/** The live states of a stack's endpoints, read from EC2 (the stack tags what it creates). */
export async function endpointsOfStack(ec2: EC2Client, region: string, vpcId: string, stackName: string): Promise<EndpointView[]> {
  const { VpcEndpoints } = await ec2.send(
    new DescribeVpcEndpointsCommand({
      Filters: [
        { Name: "vpc-id", Values: [vpcId] },
        { Name: "tag:aws:cloudformation:stack-name", Values: [stackName] },
      ],
    }),
  );
  return (VpcEndpoints ?? []).flatMap((endpoint) => {
    const service = shortServiceName(region, endpoint.ServiceName);
    return service ? [{ service, id: endpoint.VpcEndpointId ?? null, state: (endpoint.State ?? "unknown").toLowerCase() }] : [];
  });
}

export interface InstancePing {
  id: string;
  pingStatus: string;
}

/**
 * Whether Session Manager can see each instance yet ("Online" once the agent reaches the
 * endpoints). Best effort: any failure (moto has no such API) degrades to "unknown".
 */
export async function pingStatuses(ssm: SSMClient, instanceIds: string[]): Promise<InstancePing[]> {
  if (instanceIds.length === 0) return [];
  try {
    const { InstanceInformationList } = await ssm.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: "InstanceIds", Values: instanceIds }] }),
    );
    return instanceIds.map((id) => ({
      id,
      pingStatus: InstanceInformationList?.find((info) => info.InstanceId === id)?.PingStatus ?? "Unregistered",
    }));
  } catch {
    return instanceIds.map((id) => ({ id, pingStatus: "unknown" }));
  }
}
