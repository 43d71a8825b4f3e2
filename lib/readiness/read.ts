import { gatherReadinessFacts } from "../aws/readiness-facts.js";
import type { ReadinessFacts } from "../core/readiness-facts.js";
import { type InstanceReadiness, instancesOf, type SessionSpec } from "../core/session.js";
import type { Deps } from "../runtime/deps.js";
import { readinessOf } from "./instance.js";
import { watchStateOf } from "./watch-state.js";

export interface SessionReadiness {
  facts: ReadinessFacts[];
  instances: InstanceReadiness[];
}

/**
 * The readiness of every instance of a session, read now (EC2, SSM and IAM in a few concurrent
 * rounds; a read that fails makes its checks `unknown`, never the call). `rebooted` carries the
 * reboots the watch recorded.
 */
export async function readSessionReadiness(
  deps: Deps,
  spec: SessionSpec,
  rebooted: Record<string, string> = {},
): Promise<SessionReadiness> {
  const instanceIds = instancesOf(spec);
  if (instanceIds.length === 0) return { facts: [], instances: [] };
  const clients = deps.clients(spec.region, spec.accountId);
  const facts = await gatherReadinessFacts(
    { ec2: clients.ec2, ssm: clients.ssm, iam: clients.iam },
    { region: spec.region, instanceIds, vpcId: spec.vpcId },
  );
  const now = deps.clock();
  return { facts, instances: facts.map((f) => readinessOf(f, now, rebooted[f.instanceId] ?? null)) };
}

/** What GET /sessions/{id} shows: the readiness read now, with the reboots the watch recorded. */
export async function readShownReadiness(deps: Deps, spec: SessionSpec): Promise<InstanceReadiness[]> {
  const [state, { instances }] = await Promise.all([
    watchStateOf(deps, spec.vpcId, spec.accountId).catch(() => undefined),
    readSessionReadiness(deps, spec),
  ]);
  return instances.map((instance) => ({ ...instance, rebootedAt: state?.rebooted[instance.id] ?? null }));
}
