import { paginateDescribeStacks, type Stack } from "@aws-sdk/client-cloudformation";
import { resolveTtl } from "../api/requests.js";
import type { RegionClients } from "../aws/clients.js";
import { endpointsOfStack, type InstancePing } from "../aws/endpoint-status.js";
import { deleteSessionTimers } from "../aws/schedules.js";
import { deleteSessionStack, findStack, isManagedStack, specFromStack, stackNameFor } from "../aws/stacks.js";
import { formatDuration } from "../core/duration.js";
import { ConflictError, NotFoundError, PreconditionError } from "../core/errors.js";
import { VPC_ID } from "../core/ids.js";
import { instancesOf, isLive, type Session, statusOfStack, toSession } from "../core/session.js";
import { ceilToMinute, isoSeconds } from "../core/time.js";
import type { Deps } from "../runtime/deps.js";
import { applySpec } from "./open.js";

export interface LocatedSession {
  stack: Stack;
  region: string;
  stackName: string;
}

/** Finds a session's stack in any enabled region (VPC ids are unique across regions). */
export async function locateSession(deps: Deps, id: string): Promise<LocatedSession> {
  if (!VPC_ID.test(id)) {
    throw new NotFoundError(`No session "${id.slice(0, 64)}": a session id is the VPC id, such as vpc-0123456789abcdef0.`, "id");
  }
  const stackName = stackNameFor(deps.config.stackPrefix, id);
  const found = await Promise.all(
    deps.config.allowedRegions.map(async (region) => ({ region, stack: await findStack(deps.clients(region).cloudFormation, stackName) })),
  );
  const hit = found.find((entry) => entry.stack && isManagedStack(entry.stack));
  if (!hit?.stack) throw new NotFoundError(`There is no session for ${id}.`, "id");
  return { stack: hit.stack, region: hit.region, stackName };
}

const view = (deps: Deps, located: LocatedSession, extra: Partial<Parameters<typeof toSession>[0]> = {}) =>
  toSession(
    { spec: specFromStack(located.stack, located.region), stackName: located.stackName, stackStatus: located.stack.StackStatus, ...extra },
    deps.clock(),
    deps.config.endpointHourlyUsd,
  );

export type SessionDetail = Session & { statusReason: string | null; instancePings: InstancePing[] };

/** Asks SSM how each instance is doing; passed in by the callers that show it (lib/endpoint-status.ts). */
export type Pinger = (ssm: RegionClients["ssm"], instanceIds: string[]) => Promise<InstancePing[]>;

/**
 * One session with its endpoints' live states and, given a pinger, its instances' ping status,
 * asked at the same time. Without one no SSM client is touched (or bundled: the Slack worker's
 * messages show no ping status).
 */
export async function getSession(deps: Deps, id: string, ping?: Pinger): Promise<SessionDetail> {
  const located = await locateSession(deps, id);
  const clients = deps.clients(located.region);
  const spec = specFromStack(located.stack, located.region);
  const [endpoints, instancePings] = await Promise.all([
    endpointsOfStack(clients.ec2, located.region, spec.vpcId, located.stackName),
    ping ? ping(clients.ssm, instancesOf(spec)) : [],
  ]);
  return { ...view(deps, located, { endpoints }), statusReason: located.stack.StackStatusReason ?? null, instancePings };
}

/** Every ssm-knock stack of a region, page by page. */
export async function managedStacks(deps: Deps, region: string): Promise<Stack[]> {
  const stacks: Stack[] = [];
  const prefix = `${deps.config.stackPrefix}-vpc-`;
  for await (const page of paginateDescribeStacks({ client: deps.clients(region).cloudFormation }, {})) {
    for (const stack of page.Stacks ?? []) {
      if (stack.StackName?.startsWith(prefix) && stack.StackStatus !== "DELETE_COMPLETE" && isManagedStack(stack)) stacks.push(stack);
    }
  }
  return stacks;
}

/** Every session in every enabled region, newest first. */
export async function listSessions(deps: Deps): Promise<Session[]> {
  const perRegion = await Promise.all(
    deps.config.allowedRegions.map(async (region) =>
      (await managedStacks(deps, region)).map((stack) => view(deps, { stack, region, stackName: stack.StackName ?? "" })),
    ),
  );
  return perRegion.flat().sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
}

function assertLive(located: LocatedSession): void {
  if (!isLive(located.stack.StackStatus)) {
    const status = statusOfStack(located.stack.StackStatus);
    throw new ConflictError(`The session is ${status} (${located.stack.StackStatus}); open a new one instead.`, "session_closing");
  }
}

/**
 * Moves the expiry to now + ttl, never earlier than it is, and never past the maximum lifetime
 * counted from the session's creation. The stack's ExpiresAt and the timer move together.
 */
export async function extendSession(deps: Deps, id: string, ttl: string | number, requester: string): Promise<Session> {
  const ttlMs = resolveTtl(ttl, deps.config.ttl);
  return deps.locks.run(id, async () => {
    const located = await locateSession(deps, id);
    assertLive(located);
    const spec = specFromStack(located.stack, located.region);
    const requested = ceilToMinute(new Date(deps.clock().getTime() + ttlMs));
    const limit = new Date(spec.createdAt.getTime() + deps.config.maxLifetimeMs);
    if (requested > limit) {
      throw new PreconditionError(
        "max_lifetime_exceeded",
        `This session may live until ${isoSeconds(limit)} (${formatDuration(deps.config.maxLifetimeMs)} after it opened); ask for at most ${formatDuration(limit.getTime() - deps.clock().getTime())}, or open a new session after it closes.`,
        "ttl",
      );
    }
    if (requested <= spec.expiresAt) return view(deps, located);
    const extended = { ...spec, expiresAt: requested };
    await applySpec(deps, extended, located.stackName, spec.expiresAt);
    deps.logger.info("session extended", { sessionId: id, expiresAt: isoSeconds(requested), by: requester });
    const session = toSession(
      { spec: extended, stackName: located.stackName, stackStatus: located.stack.StackStatus },
      deps.clock(),
      deps.config.endpointHourlyUsd,
    );
    await deps.notifier.notify({ type: "session.extended", session, actor: requester, at: isoSeconds(deps.clock()) });
    return session;
  });
}

/** Closes now: deletes the stack and its timers. Closing a session already closing is fine. */
export async function closeSession(deps: Deps, id: string, requester: string): Promise<Session> {
  return deps.locks.run(id, async () => {
    const located = await locateSession(deps, id);
    const { config } = deps;
    if (located.stack.StackStatus !== "DELETE_IN_PROGRESS") {
      await deleteSessionStack(deps.clients(located.region).cloudFormation, {
        stackName: located.stackName,
        roleArn: config.cloudFormationRoleArn,
      });
    }
    const scheduler = deps.clients(config.region).scheduler;
    await deleteSessionTimers(scheduler, config, id);
    deps.logger.info("session closed", { sessionId: id, by: requester });
    const session = { ...view(deps, located), status: "closing" as const };
    await deps.notifier.notify({ type: "session.closed", session, actor: requester, reason: "closed", at: isoSeconds(deps.clock()) });
    return session;
  });
}
