import type { Stack } from "@aws-sdk/client-cloudformation";
import type { Deps } from "./deps.js";
import { formatDuration } from "./duration.js";
import { ConflictError, ForbiddenError, PreconditionError, UpstreamError } from "./errors.js";
import { enforceOpenPolicy } from "./policy.js";
import { describeInstance, gatherVpcFacts, planTarget, type TargetPlan } from "./preflight.js";
import { type OpenRequest, resolveTtl } from "./requests.js";
import { upsertTimer } from "./schedules.js";
import { type AccessRequest, type Session, type SessionSpec, statusOfStack, toSession } from "./session.js";
import { createSessionStack, deleteSessionStack, specFromStack, stackNameFor, updateSessionStack } from "./stacks.js";
import { ceilToMinute, isoSeconds } from "./time.js";

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
    const facts = await gatherVpcFacts(clients, vpcId, stackName, {
      // The instance's own groups are read too: their egress decides whether the agent gets out.
      securityGroupIds: request.sourceSecurityGroupIds ?? instance?.securityGroupIds,
      wantRouteTables: request.extras?.includes("s3") ?? false,
    });
    await enforceOpenPolicy(deps, { vpcId, vpc: facts.vpc, joining: Boolean(facts.stack), field: instance ? "instanceId" : "vpcId" });
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
    const stackOptions = { stackName, roleArn: config.cloudFormationRoleArn };
    try {
      await createSessionStack(clients.cloudFormation, spec, stackOptions);
    } catch (error) {
      if ((error as Error).name === "AlreadyExistsException") {
        throw new ConflictError(`A session for ${vpcId} was opened at the same moment; send the request again to join it.`);
      }
      throw error;
    }
    await armExpiry(deps, spec, stackName);
    deps.logger.info("session opened", { vpcId, region, stackName, expiresAt: isoSeconds(expiresAt), requestedBy: requester });
    const session = toSession({ spec, stackName, stackStatus: "CREATE_IN_PROGRESS" }, now, config.endpointHourlyUsd);
    await deps.notifier.notify({ type: "session.opened", session, actor: requester, at: isoSeconds(now) });
    return { outcome: "created", session, warnings: plan.warnings };
  });
}

/**
 * Registers the expiry timer. A stack must never exist without an enforced expiry, so when the
 * timer cannot be made the stack is deleted again; if even that fails, its expires-at tag is
 * what the sweeper enforces.
 */
async function armExpiry(deps: Deps, spec: SessionSpec, stackName: string): Promise<void> {
  const { config } = deps;
  const timer = { action: "expire" as const, sessionId: spec.vpcId, region: spec.region, stackName };
  try {
    await upsertTimer(deps.clients(config.region).scheduler, config, timer, spec.expiresAt);
  } catch (error) {
    deps.logger.error("expiry schedule could not be created; deleting the new stack", { stackName, error: error as Error });
    try {
      await deleteSessionStack(deps.clients(spec.region).cloudFormation, { stackName, roleArn: config.cloudFormationRoleArn });
    } catch (undoError) {
      deps.logger.error("stack could not be deleted either; the sweeper deletes it at its expiry", {
        stackName,
        expiresAt: isoSeconds(spec.expiresAt),
        error: undoError as Error,
      });
    }
    throw new UpstreamError("schedule_failed", "The expiry schedule could not be created, so no access was opened; try again.");
  }
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

const LIVE = new Set(["creating", "ready"]);

async function joinSession(deps: Deps, stack: Stack, input: JoinInput): Promise<OpenResult> {
  const { config } = deps;
  const status = statusOfStack(stack.StackStatus);
  if (!LIVE.has(status)) {
    throw new ConflictError(
      `The previous session for this VPC is ${status} (${stack.StackStatus}); ssm-knock is removing it. Try again in a few minutes.`,
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
  await applySpec(deps, spec, input.stackName);
  deps.logger.info("session joined", { vpcId: spec.vpcId, requestedBy: input.access.by, expiresAt: isoSeconds(spec.expiresAt) });
  const session = toSession({ spec, stackName: input.stackName, stackStatus: stack.StackStatus }, deps.clock(), config.endpointHourlyUsd);
  await deps.notifier.notify({ type: "session.opened", session, actor: input.access.by, at: input.access.at });
  return { outcome: "joined", session, warnings: input.plan.warnings };
}

/** Writes a changed spec to the stack, then moves the timer to the (possibly new) expiry. */
export async function applySpec(deps: Deps, spec: SessionSpec, stackName: string): Promise<void> {
  const { config } = deps;
  try {
    await updateSessionStack(deps.clients(spec.region).cloudFormation, spec, { stackName, roleArn: config.cloudFormationRoleArn });
  } catch (error) {
    const message = (error as Error).message ?? "";
    if (/in progress|IN_PROGRESS state/i.test(message)) {
      throw new ConflictError("The session's stack is being changed right now; try again in a minute.", "session_busy");
    }
    if (!/No updates are to be performed/i.test(message)) throw error;
  }
  try {
    await upsertTimer(
      deps.clients(config.region).scheduler,
      config,
      { action: "expire", sessionId: spec.vpcId, region: spec.region, stackName },
      spec.expiresAt,
    );
  } catch (error) {
    // The stack already holds the new expiry, which is what the sweeper enforces; a stale
    // timer that fires early finds the session unexpired and deletes nothing.
    deps.logger.warn("expiry schedule not moved; the sweeper re-creates it", { stackName, error: error as Error });
  }
}
