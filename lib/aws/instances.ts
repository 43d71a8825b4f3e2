import { type EC2Client, RebootInstancesCommand } from "@aws-sdk/client-ec2";

/**
 * Reboots instances (the opt-in kick, restartAgent "if-offline"): the SSM Agent starts afresh and
 * registers within about a minute instead of waiting out its backoff. Only the readiness function
 * may call it, and only where the deployment allows reboots (resources/iam.yml).
 */
export async function rebootInstances(ec2: EC2Client, instanceIds: string[]): Promise<void> {
  if (instanceIds.length) await ec2.send(new RebootInstancesCommand({ InstanceIds: instanceIds }));
}
