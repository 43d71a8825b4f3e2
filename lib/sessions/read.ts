import { acrossPlaces, describeFailure, PLACES_AT_ONCE } from "../accounts/across.js";
import { everyPlace } from "../accounts/registry.js";
import { findStack, isManagedStack, latestFailureReason, listSessionStacks } from "../aws/stacks.js";
import { endpointsOfStack } from "../aws/vpc-facts.js";
import type { InstanceReadiness, Session, SessionSpec, StackPlace } from "../core/session.js";
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
  const clients = deps.clients(located.region, located.accountId);
  const spec = specFromStack(located.stack, located);
  const [endpoints, instances, failure] = await Promise.all([
    endpointsOfStack(clients.ec2, located.region, spec.vpcId, { name: located.stackName, id: located.stack.StackId }),
    readReadiness ? readReadiness(deps, spec) : undefined,
    // After a rollback the stack's own reason only names the resource; its events say why.
    /ROLLBACK|FAILED/.test(located.stack.StackStatus ?? "") ? latestFailureReason(clients.cloudFormation, located.stackName) : undefined,
  ]);
  return {
    ...sessionOfStack(deps, located.stack, located, { endpoints, instances }),
    statusReason: failure ?? located.stack.StackStatusReason ?? null,
  };
}

export interface SessionList {
  sessions: Session[];
  /** Accounts and regions that could not be read this time (their sessions are not in the list). */
  unavailable: ReturnType<typeof describeFailure>[];
}

/** Every session in every allowed account and region, newest first; a place that cannot be read is named, not fatal. */
export async function listSessions(deps: Deps): Promise<SessionList> {
  const { done, failed } = await acrossPlaces(everyPlace(deps.config), PLACES_AT_ONCE, async (place) =>
    (await listSessionStacks(deps.clients(place.region, place.accountId).cloudFormation, deps.config.stackPrefix)).map((stack) =>
      sessionOfStack(deps, stack, place),
    ),
  );
  for (const failure of failed)
    deps.logger.warn("sessions not listed in one account and region", { ...failure.place, error: failure.error });
  const sessions = done.flatMap((entry) => entry.value);
  return {
    sessions: sessions.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id)),
    unavailable: failed.map(describeFailure),
  };
}

/** The session of an ssm-knock stack as it is now, or undefined when there is none (or it is not ours). */
export async function readSession(deps: Deps, place: StackPlace, stackName: string): Promise<Session | undefined> {
  const stack = await findStack(deps.clients(place.region, place.accountId).cloudFormation, stackName);
  if (!stack || !isManagedStack(stack)) return undefined;
  return sessionOfStack(deps, stack, place);
}
