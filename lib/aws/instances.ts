import { EC2Client, type EC2ClientConfig, paginateDescribeInstances, RebootInstancesCommand } from "@aws-sdk/client-ec2";

/**
 * An EC2 client for callers that load this module on demand (the CLI): importing the SDK package
 * itself dynamically would keep every one of its commands in the bundle.
 */
export const ec2Client = (config: EC2ClientConfig) => new EC2Client(config);

/** An instance that carries a Name tag, as a person would pick it from a list. */
export interface NamedInstance {
  instanceId: string;
  name: string;
  state: string;
  vpcId?: string;
  privateIpAddress?: string;
  launchTime?: string;
}

/** The states an instance can be opened for: running, or stopped (to be started later). */
const STATES = ["running", "stopped"];

/** Every running or stopped instance whose Name tag is exactly `name`, in the client's region, all pages. */
export async function instancesNamed(ec2: EC2Client, name: string): Promise<NamedInstance[]> {
  const found: NamedInstance[] = [];
  const filters = [
    { Name: "tag:Name", Values: [name] },
    { Name: "instance-state-name", Values: STATES },
  ];
  for await (const page of paginateDescribeInstances({ client: ec2 }, { Filters: filters })) {
    for (const instance of (page.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? [])) {
      if (!instance.InstanceId) continue;
      found.push({
        instanceId: instance.InstanceId,
        name,
        state: instance.State?.Name ?? "unknown",
        vpcId: instance.VpcId,
        privateIpAddress: instance.PrivateIpAddress,
        launchTime: instance.LaunchTime?.toISOString(),
      });
    }
  }
  return found;
}

/**
 * Reboots instances (the opt-in kick, restartAgent "if-offline"): the SSM Agent starts afresh and
 * registers within about a minute instead of waiting out its backoff. Only the readiness function
 * may call it, and only where the deployment allows reboots (resources/reboot-true.yml).
 */
export async function rebootInstances(ec2: EC2Client, instanceIds: string[]): Promise<void> {
  if (instanceIds.length) await ec2.send(new RebootInstancesCommand({ InstanceIds: instanceIds }));
}
