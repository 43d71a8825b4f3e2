import { resolveAccount } from "../accounts/registry.js";
import { countExpiryTimers } from "../aws/schedules.js";
import { findStack, stackNameFor } from "../aws/stacks.js";
import { describeInstance, gatherVpcFacts } from "../aws/vpc-facts.js";
import { ForbiddenError } from "../core/errors.js";
import type { OpenRequest } from "../core/requests.js";
import type { AccessRequest, Session, SessionSpec } from "../core/session.js";
import { ceilToMinute, isoSeconds } from "../core/time.js";
import type { InstanceFacts } from "../core/vpc-facts.js";
import type { Deps } from "../runtime/deps.js";
import { joinSession } from "./join.js";
import { planTarget, type TargetPlan } from "./open-plan.js";
import { assertRebootAllowed, enforceOpenPolicy } from "./policy.js";
import { createStackWithExpiry } from "./record.js";
import { toSession } from "./shape.js";
import { resolveTtl } from "./ttl.js";

export type OpenResult =
  | { outcome: "created"; session: Session; warnings: string[] }
  | { outcome: "joined"; session: Session; warnings: string[] }
  | {
      outcome: "already_reachable";
      vpcId: string;
      accountId: string;
      region: string;
      endpoints: { service: string; id: string }[];
    };

/**
 * Opens Session Manager access: preflight, then one stack per VPC with an expiry timer. A
 * request for a VPC that already has a session joins it (later expiry, more sources).
 */
export async function openSession(deps: Deps, request: OpenRequest, requester: string): Promise<OpenResult> {
  const { config } = deps;
  const accountId = resolveAccount(config, request.accountId);
  const region = request.region ?? config.region;
  if (!config.allowedRegions.includes(region)) {
    throw new ForbiddenError(`Region ${region} is not enabled for ssm-knock; allowed: ${config.allowedRegions.join(", ")}.`, "region");
  }
  const ttlMs = resolveTtl(request.ttl, config.ttl);
  const instance = request.instanceId ? await describeInstance(deps.clients(region, accountId).ec2, request.instanceId) : undefined;
  // The kick is opt-in twice over: the request asks, and the deployment allows (before anything exists).
  if (instance && request.restartAgent === "if-offline") assertRebootAllowed(config.policy, instance.id, instance.tags);
  const vpcId = instance?.vpcId ?? (request.vpcId as string);
  return deps.locks.run(vpcId, () => openLocked(deps, { request, requester, accountId, region, ttlMs, instance, vpcId }));
}

interface OpenContext {
  request: OpenRequest;
  requester: string;
  accountId: string;
  region: string;
  ttlMs: number;
  instance?: InstanceFacts;
  vpcId: string;
}

async function openLocked(deps: Deps, context: OpenContext): Promise<OpenResult> {
  const { config } = deps;
  const { request, accountId, region, instance, vpcId } = context;
  const clients = deps.clients(region, accountId);
  const stackName = stackNameFor(config.stackPrefix, vpcId);
  const limited = config.policy.maxSessions > 0 || config.policy.maxSessionsPerAccount > 0;
  // One concurrent round: the VPC's facts (in its account), its stack and, when a limit is set,
  // the open-session count (from the timers in the hub).
  const [facts, stack, liveSessions] = await Promise.all([
    gatherVpcFacts(clients.ec2, vpcId, {
      // The instance's own groups are read too: their egress decides whether the agent gets out.
      securityGroupIds: request.sourceSecurityGroupIds ?? instance?.securityGroupIds,
      wantRouteTables: request.extras?.includes("s3") ?? false,
    }),
    findStack(clients.cloudFormation, stackName),
    limited ? countExpiryTimers(deps.clients(config.region).scheduler, config) : undefined,
  ]);
  enforceOpenPolicy(
    config.policy,
    { vpcId, accountId, vpc: facts.vpc, joining: Boolean(stack), field: instance ? "instanceId" : "vpcId" },
    { total: liveSessions?.total ?? 0, inAccount: liveSessions?.of(accountId) ?? 0 },
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
  const expiresAt = ceilToMinute(new Date(now.getTime() + context.ttlMs));
  const access: AccessRequest = {
    by: context.requester,
    at: isoSeconds(now),
    reason: request.reason,
    instanceId: instance?.id,
    ...(request.restartAgent === "if-offline" ? { restartAgent: "if-offline" as const } : {}),
  };

  if (stack) {
    const zoneOf = new Map(facts.subnets.map((subnet) => [subnet.SubnetId ?? "", subnet.AvailabilityZone ?? ""]));
    const session = await joinSession(deps, stack, { accountId, region }, { plan, access, expiresAt, zoneOf });
    return { outcome: "joined", session, warnings: plan.warnings };
  }
  if (plan.services.length === 0) {
    deps.logger.info("VPC already reachable", { vpcId, accountId, region, endpoints: plan.existing });
    return { outcome: "already_reachable", vpcId, accountId, region, endpoints: plan.existing };
  }
  const session = await createSession(deps, { vpcId, accountId, region, plan, access, expiresAt, createdAt: now, stackName });
  return { outcome: "created", session, warnings: plan.warnings };
}

interface NewSession {
  vpcId: string;
  accountId: string;
  region: string;
  plan: TargetPlan;
  access: AccessRequest;
  expiresAt: Date;
  createdAt: Date;
  stackName: string;
}

async function createSession(deps: Deps, input: NewSession): Promise<Session> {
  const { plan, stackName } = input;
  const spec: SessionSpec = {
    vpcId: input.vpcId,
    accountId: input.accountId,
    region: input.region,
    subnetIds: plan.subnetIds,
    sourceSecurityGroupIds: plan.sourceSecurityGroupIds,
    sourceCidrs: plan.sourceCidrs,
    services: plan.services,
    s3RouteTableIds: plan.s3RouteTableIds,
    expiresAt: input.expiresAt,
    createdAt: input.createdAt,
    requests: [input.access],
  };
  await createStackWithExpiry(deps, spec, stackName);
  deps.logger.info("session opened", {
    vpcId: spec.vpcId,
    accountId: spec.accountId,
    region: spec.region,
    stackName,
    expiresAt: isoSeconds(spec.expiresAt),
    requestedBy: input.access.by,
  });
  const session = toSession({ spec, stackName, stackStatus: "CREATE_IN_PROGRESS" }, input.createdAt, deps.config.endpointHourlyUsd);
  await deps.notifier.notify({ type: "session.opened", session, actor: input.access.by, at: input.access.at });
  return session;
}
