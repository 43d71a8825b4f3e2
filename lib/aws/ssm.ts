import { DescribeInstanceInformationCommand, type SSMClient } from "@aws-sdk/client-ssm";

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
