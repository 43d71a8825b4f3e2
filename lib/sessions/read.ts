import { findStack, isManagedStack, latestFailureReason, listSessionStacks } from "../aws/stacks.js";
import { endpointsOfStack } from "../aws/vpc-facts.js";
import type { InstanceReadiness, Session, SessionSpec } from "../core/session.js";
import type { Deps } from "../runtime/deps.js";
import { locateSession } from "./record.js";
import { sessionOfStack } from "./shape.js";
import { specFromStack } from "./stack-record.js";

export type SessionDetail = Session & { statusReason: string | null };

/** Reads each instance's readiness (lib/readiness/read.ts); passed in by the callers that show it. */
export type ReadinessReader = (deps: Deps, spec: SessionSpec) => Promise<InstanceReadiness[]>;

/**
 * One session with its endpoints' live states and, given a reader, its instances' readiness,
 * read at the same time. Without one no SSM or IAM client is touched (or bundled: the Slack
 * worker's messages show no readiness).
 */
export async function getSession(deps: Deps, id: string, readReadiness?: ReadinessReader): Promise<SessionDetail> {
  const located = await locateSession(deps, id);
  const clients = deps.clients(located.region);
  const spec = specFromStack(located.stack, located.region);
  const [endpoints, instances, failure] = await Promise.all([
    endpointsOfStack(clients.ec2, located.region, spec.vpcId, { name: located.stackName, id: located.stack.StackId }),
    readReadiness ? readReadiness(deps, spec) : undefined,
    // After a rollback the stack's own reason only names the resource; its events say why.
    /ROLLBACK|FAILED/.test(located.stack.StackStatus ?? "") ? latestFailureReason(clients.cloudFormation, located.stackName) : undefined,
  ]);
  return {
    ...sessionOfStack(deps, located.stack, located.region, { endpoints, instances }),
    statusReason: failure ?? located.stack.StackStatusReason ?? null,
  };
}

/** Every session in every enabled region, newest first. */
export async function listSessions(deps: Deps): Promise<Session[]> {
  const perRegion = await Promise.all(
    deps.config.allowedRegions.map(async (region) =>
      (await listSessionStacks(deps.clients(region).cloudFormation, deps.config.stackPrefix)).map((stack) =>
        sessionOfStack(deps, stack, region),
      ),
    ),
  );
  return perRegion.flat().sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
}

/** The session of an ssm-knock stack as it is now, or undefined when there is none (or it is not ours). */
export async function readSession(deps: Deps, region: string, stackName: string): Promise<Session | undefined> {
  const stack = await findStack(deps.clients(region).cloudFormation, stackName);
  if (!stack || !isManagedStack(stack)) return undefined;
  return sessionOfStack(deps, stack, region);
}
