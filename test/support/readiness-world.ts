import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { gatherReadinessFacts, type ReadinessClients } from "../../lib/aws/readiness-facts.js";
import type { Check, CheckName, ReadinessFacts } from "../../lib/core/readiness-facts.js";
import { readinessChecks } from "../../lib/readiness/checks.js";
import { createInstanceProfile, runInstance } from "../../local/agent/seed.js";
import { type DemoWorld, seedWorld } from "../../local/seed.js";
import { endpointGroup, sessionManagerEndpoints } from "./endpoints.js";

export const REGION = "us-east-1";

/**
 * A VPC where Session Manager would work, in moto: the instance (subnet a, group app-…) has a
 * profile with AmazonSSMManagedInstanceCore; ssm, ssmmessages and ec2messages endpoints with
 * private DNS sit in subnet b behind a group admitting 443 from the instance's group. Each test
 * breaks one thing and reads the checks.
 */
export interface ReadinessWorld {
  ec2: EC2Client;
  iam: IAMClient;
  world: DemoWorld;
  instanceId: string;
  profile: string;
  endpointGroupId: string;
  endpointIds: Record<"ssm" | "ssmmessages" | "ec2messages", string>;
  facts(clients?: Partial<ReadinessClients>): Promise<ReadinessFacts>;
  /** The checks by name, read from moto now. */
  checks(clients?: Partial<ReadinessClients>): Promise<Record<CheckName, Check>>;
}

export async function readinessWorld(): Promise<ReadinessWorld> {
  const ec2 = new EC2Client({ region: REGION });
  const iam = new IAMClient({ region: REGION });
  const world = await seedWorld(ec2, { region: REGION, instances: 0 });
  const profile = await createInstanceProfile(iam, "agent-core");
  const instanceId = await runInstance(ec2, world, { profile });
  const endpointGroupId = await endpointGroup(ec2, world, "endpoints", "SSM endpoints");
  const endpointIds = await sessionManagerEndpoints(ec2, world, REGION, endpointGroupId);
  const facts = async (clients: Partial<ReadinessClients> = {}) =>
    (await gatherReadinessFacts({ ec2, iam, ...clients }, { region: REGION, instanceIds: [instanceId], vpcId: world.vpcId }))[0];
  const checks = async (clients: Partial<ReadinessClients> = {}) =>
    Object.fromEntries(readinessChecks(await facts(clients), new Date()).map((c) => [c.name, c])) as Record<CheckName, Check>;
  return { ec2, iam, world, instanceId, profile, endpointGroupId, endpointIds, facts, checks };
}
