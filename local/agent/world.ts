import { type CloudFormationClient, paginateDescribeStacks } from "@aws-sdk/client-cloudformation";
import { type EC2Client, paginateDescribeInstances } from "@aws-sdk/client-ec2";
import type { IAMClient } from "@aws-sdk/client-iam";
import { gatherReadinessFacts } from "../../lib/aws/readiness-facts.js";
import { known, type ReadinessFacts } from "../../lib/core/readiness-facts.js";
import { agentPath, readinessChecks } from "../../lib/readiness/checks.js";
import type { ObservedInstance } from "./model.js";
import { agentProfileOf } from "./tags.js";

// What the agent model sees of the emulator: each instance, its agent's tags, and whether the
// readiness checks (lib/readiness/checks.ts, on facts read from moto) let its agent through.

export interface WorldClients {
  region: string;
  ec2: EC2Client;
  iam: IAMClient;
  cloudFormation: CloudFormationClient;
}

/** moto leaves a deleted stack's VPC endpoints behind (AWS deletes them): those do not count. */
async function liveStacks(cloudFormation: CloudFormationClient): Promise<Set<string>> {
  const names = new Set<string>();
  for await (const page of paginateDescribeStacks({ client: cloudFormation }, {})) {
    for (const stack of page.Stacks ?? []) if (stack.StackName && stack.StackStatus !== "DELETE_COMPLETE") names.add(stack.StackName);
  }
  return names;
}

function withoutOrphans(facts: ReadinessFacts, stacks: Set<string>): ReadinessFacts {
  if (!facts.endpoints.ok) return facts;
  const live = facts.endpoints.value.filter((endpoint) => {
    const stack = endpoint.Tags?.find((t) => t.Key === "aws:cloudformation:stack-name")?.Value;
    return !stack || stacks.has(stack);
  });
  return { ...facts, endpoints: known(live) };
}

/**
 * Every non-terminated instance of the region, with its agent's path: reads moto directly (not
 * through the front, which answers SSM from this model). `dhmcRole` is local mode's DHMC setting.
 */
export async function observeWorld(clients: WorldClients, dhmcRole: string | undefined, now: Date): Promise<ObservedInstance[]> {
  const instances = [];
  for await (const page of paginateDescribeInstances({ client: clients.ec2 }, {})) {
    for (const reservation of page.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) if (instance.State?.Name !== "terminated") instances.push(instance);
    }
  }
  if (instances.length === 0) return [];
  const [facts, stacks] = await Promise.all([
    gatherReadinessFacts(clients, { region: clients.region, instanceIds: instances.map((i) => i.InstanceId as string) }),
    liveStacks(clients.cloudFormation),
  ]);
  return instances.map((instance, index) => {
    const agent = agentProfileOf(instance);
    // The model is the agent, so it knows its own version; DHMC is local mode's setting.
    const seen: ReadinessFacts = {
      ...withoutOrphans(facts[index], stacks),
      ping: known(agent.version ? { InstanceId: instance.InstanceId, AgentVersion: agent.version } : undefined),
      dhmc: known({ roleName: dhmcRole }),
    };
    const path = agentPath(readinessChecks(seen, now));
    return {
      instanceId: instance.InstanceId as string,
      region: clients.region,
      running: instance.State?.Name === "running",
      launchedAt: instance.LaunchTime,
      privateIp: instance.PrivateIpAddress,
      tags: Object.fromEntries((instance.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""])),
      agent,
      reachable: path.reachable,
      permitted: path.permitted,
    };
  });
}
