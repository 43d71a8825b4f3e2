import type { Stack } from "@aws-sdk/client-cloudformation";
import { type OpenRequest, resolveTtl } from "../api/requests.js";
import { isAwsError } from "../aws/errors.js";
import { deleteTimer, upsertTimer } from "../aws/schedules.js";
import { createSessionStack, deleteSessionStack, findStack, specFromStack, stackNameFor, updateSessionStack } from "../aws/stacks.js";
import { formatDuration } from "../core/duration.js";
import { ConflictError, ForbiddenError, PreconditionError, UpstreamError } from "../core/errors.js";
import { type AccessRequest, isLive, type Session, type SessionSpec, statusOfStack, toSession } from "../core/session.js";
import { ceilToMinute, isoSeconds } from "../core/time.js";
import type { Deps } from "../runtime/deps.js";
import { describeInstance, gatherVpcFacts, planTarget, type TargetPlan } from "./open-plan.js";
import { countLiveSessions, enforceOpenPolicy } from "./policy.js";

export type OpenResult =
  | { outcome: "created"; session: Session; warnings: string[] }
  | { outcome: "joined"; session: Session; warnings: string[] }
  | { outcome: "already_reachable"; vpcId: string; region: string; endpoints: { service: string; id: string }[] };

const MAX_SOURCE_GROUPS = 8;
const MAX_SOURCE_CIDRS = 5;

/**
 * Opens Session Manager access: preflight, then one stack per VPC with an expiry timer. A
 * request for a VPC that already has a session joins it (later expiry, more sources).
 */
export async function openSession(deps: Deps, request: OpenRequest, requester: string): Promise<OpenResult> {
  const { config } = deps;
  const region = request.region ?? config.region;
  if (!config.allowedRegions.includes(region)) {
    throw new ForbiddenError(`Region ${region} is not enabled for ssm-knock; allowed: ${config.allowedRegions.join(", ")}.`, "region");
  }
  const ttlMs = resolveTtl(request.ttl, config.ttl);
  const clients = deps.clients(region);
  const instance = request.instanceId ? await describeInstance(clients.ec2, request.instanceId) : undefined;
  const vpcId = instance?.vpcId ?? (request.vpcId as string);
  const stackName = stackNameFor(config.stackPrefix, vpcId);

  return deps.locks.run(vpcId, async () => {
    // One concurrent round: the VPC's facts and, when a limit is set, the open-session count.
    const [facts, liveSessions] = await Promise.all([
      gatherVpcFacts(clients, vpcId, stackName, {
        // The instance's own groups are read too: their egress decides whether the agent gets out.
        securityGroupIds: request.sourceSecurityGroupIds ?? instance?.securityGroupIds,
        wantRouteTables: request.extras?.includes("s3") ?? false,
      }),
      config.policy.maxSessions ? countLiveSessions(deps) : Promise.resolve(0),
    ]);
    enforceOpenPolicy(
      config.policy,
      { vpcId, vpc: facts.vpc, joining: Boolean(facts.stack), field: instance ? "instanceId" : "vpcId" },
      liveSessions,
    );
    const plan = planTarget(
      {
        vpcId,
        region,
        instance,
        subnetIds: request.subnetIds,
        sourceSecurityGroupIds: request.sourceSecurityGroupIds,
        extras: request.extras ?? [],
        stackName,
      },
      facts,
    );
    const now = deps.clock();
    const expiresAt = ceilToMinute(new Date(now.getTime() + ttlMs));
    const access: AccessRequest = { by: requester, at: isoSeconds(now), reason: request.reason, instanceId: instance?.id };

    if (facts.stack) {
      const zoneOf = new Map(facts.subnets.map((subnet) => [subnet.SubnetId ?? "", subnet.AvailabilityZone ?? ""]));
      return joinSession(deps, facts.stack, { plan, access, expiresAt, zoneOf, stackName, region });
    }
    if (plan.services.length === 0) {
      deps.logger.info("VPC already reachable", { vpcId, region, endpoints: plan.existing });
      return { outcome: "already_reachable", vpcId, region, endpoints: plan.existing };
    }

    const spec: SessionSpec = {
      vpcId,
      region,
      subnetIds: plan.subnetIds,
      sourceSecurityGroupIds: plan.sourceSecurityGroupIds,
      sourceCidrs: plan.sourceCidrs,
      services: plan.services,
      s3RouteTableIds: plan.s3RouteTableIds,
      expiresAt,
      createdAt: now,
      requests: [access],
    };
    await createStackWithExpiry(deps, spec, stackName);
    deps.logger.info("session opened", { vpcId, region, stackName, expiresAt: isoSeconds(expiresAt), requestedBy: requester });
    const session = toSession({ spec, stackName, stackStatus: "CREATE_IN_PROGRESS" }, now, config.endpointHourlyUsd);
    await deps.notifier.notify({ type: "session.opened", session, actor: requester, at: isoSeconds(now) });
    return { outcome: "created", session, warnings: plan.warnings };
  });
}

/**
 * Creates the stack and its expiry timer at the same time (one round trip, not two), each undone
 * when the other fails: a stack must never exist without an enforced expiry. If an undo fails
 * too, the stack's expires-at record is what the sweeper enforces, and a timer without a stack
 * only finds nothing to delete.
 */
async function createStackWithExpiry(deps: Deps, spec: SessionSpec, stackName: string): Promise<void> {
  const { config, logger } = deps;
  const cloudFormation = deps.clients(spec.region).cloudFormation;
  const scheduler = deps.clients(config.region).scheduler;
  const timer = { action: "expire" as const, sessionId: spec.vpcId, region: spec.region, stackName };
  const [stack, schedule] = await Promise.allSettled([
    createSessionStack(cloudFormation, spec, { stackName, roleArn: config.cloudFormationRoleArn }),
    upsertTimer(scheduler, config, timer, spec.expiresAt),
  ]);
  if (stack.status === "fulfilled" && schedule.status === "fulfilled") return;

  if (stack.status === "rejected") {
    const raced = isAwsError(stack.reason, "AlreadyExistsException");
    if (schedule.status === "fulfilled") {
      // The timer is the session's by name. If another request created the stack a moment ago,
      // the timer now says our expiry: put back the one that stack records, or drop ours.
      const existing = raced ? await findStack(cloudFormation, stackName).catch(() => undefined) : undefined;
      const undo = existing
        ? upsertTimer(scheduler, config, timer, specFromStack(existing, spec.region).expiresAt, config.expireFunctionArn, "existing")
        : deleteTimer(scheduler, config, "expire", spec.vpcId);
      await undo.catch((error) => logger.warn("timer not restored; the sweeper re-aligns it", { stackName, error: error as Error }));
    }
    if (raced) throw new ConflictError(`A session for ${spec.vpcId} was opened at the same moment; send the request again to join it.`);
    throw stack.reason;
  }

  logger.error("expiry schedule could not be created; deleting the new stack", {
    stackName,
    error: (schedule as PromiseRejectedResult).reason,
  });
  try {
    await deleteSessionStack(cloudFormation, { stackName, roleArn: config.cloudFormationRoleArn });
  } catch (undoError) {
    logger.error("stack could not be deleted either; the sweeper deletes it at its expiry", {
      stackName,
      expiresAt: isoSeconds(spec.expiresAt),
      error: undoError as Error,
    });
  }
  throw new UpstreamError("schedule_failed", "The expiry schedule could not be created, so no access was opened; try again.");
}

interface JoinInput {
  plan: TargetPlan;
  access: AccessRequest;
  expiresAt: Date;
  zoneOf: Map<string, string>;
  stackName: string;
  region: string;
}

const union = <T>(a: T[], b: T[]) => [...new Set([...a, ...b])];

/** The spec after another request joins: never a shorter expiry, never fewer sources. */
export function mergeSpec(current: SessionSpec, input: Omit<JoinInput, "stackName" | "region">): SessionSpec {
  const { plan, access, expiresAt, zoneOf } = input;
  const zones = new Set(current.subnetIds.map((id) => zoneOf.get(id) ?? id));
  const subnetIds = [...current.subnetIds];
  for (const subnetId of plan.subnetIds) {
    const zone = zoneOf.get(subnetId) ?? subnetId;
    if (!zones.has(zone)) {
      zones.add(zone);
      subnetIds.push(subnetId);
    }
  }
  const sourceSecurityGroupIds = union(current.sourceSecurityGroupIds, plan.sourceSecurityGroupIds);
  const sourceCidrs = union(current.sourceCidrs, plan.sourceCidrs);
  if (sourceSecurityGroupIds.length > MAX_SOURCE_GROUPS || sourceCidrs.length > MAX_SOURCE_CIDRS) {
    throw new PreconditionError(
      "too_many_sources",
      `A session admits at most ${MAX_SOURCE_GROUPS} security groups and ${MAX_SOURCE_CIDRS} CIDR blocks; close it or pass sourceSecurityGroupIds shared by your instances.`,
      "sourceSecurityGroupIds",
    );
  }
  return {
    ...current,
    subnetIds,
    sourceSecurityGroupIds,
    sourceCidrs,
    services: union(current.services, plan.services),
    s3RouteTableIds: union(current.s3RouteTableIds, plan.s3RouteTableIds),
    expiresAt: new Date(Math.max(expiresAt.getTime(), current.expiresAt.getTime())),
    requests: [...current.requests, access],
  };
}

async function joinSession(deps: Deps, stack: Stack, input: JoinInput): Promise<OpenResult> {
  const { config } = deps;
  if (!isLive(stack.StackStatus)) {
    throw new ConflictError(
      `The previous session for this VPC is ${statusOfStack(stack.StackStatus)} (${stack.StackStatus}); ssm-knock is removing it. Try again in a few minutes.`,
      "session_closing",
    );
  }
  const current = specFromStack(stack, input.region);
  const limit = current.createdAt.getTime() + config.maxLifetimeMs;
  if (input.expiresAt.getTime() > limit) {
    throw new PreconditionError(
      "max_lifetime_exceeded",
      `This session may live until ${isoSeconds(new Date(limit))} (${formatDuration(config.maxLifetimeMs)} after it opened); ask for a shorter ttl.`,
      "ttl",
    );
  }
  const spec = mergeSpec(current, input);
  await applySpec(deps, spec, input.stackName, current.expiresAt);
  deps.logger.info("session joined", { vpcId: spec.vpcId, requestedBy: input.access.by, expiresAt: isoSeconds(spec.expiresAt) });
  const session = toSession({ spec, stackName: input.stackName, stackStatus: stack.StackStatus }, deps.clock(), config.endpointHourlyUsd);
  await deps.notifier.notify({ type: "session.opened", session, actor: input.access.by, at: input.access.at });
  return { outcome: "joined", session, warnings: input.plan.warnings };
}

/**
 * Writes a changed spec to the stack and moves the timer to its expiry, both at once (one round
 * trip). If the stack refuses the change, the timer goes back to the expiry the stack still
 * records, so the two never disagree for longer than that.
 */
export async function applySpec(deps: Deps, spec: SessionSpec, stackName: string, previousExpiresAt: Date): Promise<void> {
  const { config, logger } = deps;
  const scheduler = deps.clients(config.region).scheduler;
  const timer = { action: "expire" as const, sessionId: spec.vpcId, region: spec.region, stackName };
  const moveTimer = (at: Date) => upsertTimer(scheduler, config, timer, at, config.expireFunctionArn, "existing");
  const [stack, schedule] = await Promise.allSettled([
    updateSessionStack(deps.clients(spec.region).cloudFormation, spec, { stackName, roleArn: config.cloudFormationRoleArn }),
    moveTimer(spec.expiresAt),
  ]);
  if (stack.status === "rejected" && !/No updates are to be performed/i.test((stack.reason as Error).message ?? "")) {
    if (schedule.status === "fulfilled" && spec.expiresAt.getTime() !== previousExpiresAt.getTime()) {
      await moveTimer(previousExpiresAt).catch((error) =>
        logger.warn("timer not moved back; the expire function re-reads the stack", { stackName, error: error as Error }),
      );
    }
    if (/in progress|IN_PROGRESS state/i.test((stack.reason as Error).message ?? "")) {
      throw new ConflictError("The session's stack is being changed right now; try again in a minute.", "session_busy");
    }
    throw stack.reason;
  }
  if (schedule.status === "rejected") {
    // The stack holds the new expiry, which is what the sweeper enforces; a stale timer that
    // fires early finds the session unexpired and deletes nothing.
    logger.warn("expiry schedule not moved; the sweeper re-creates it", { stackName, error: schedule.reason as Error });
  }
}
