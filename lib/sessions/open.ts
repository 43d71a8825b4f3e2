import { resolveAccount } from "../accounts/registry.js";
import { countExpiryTimers } from "../aws/schedules.js";
import { findStack, stackNameFor } from "../aws/stacks.js";
import { describeInstance, gatherVpcFacts } from "../aws/vpc-facts.js";
import { ForbiddenError } from "../core/errors.js";
import type { EndpointPrice } from "../core/open-facts.js";
import type { OpenRequest } from "../core/requests.js";
import type { AccessRequest, Session, SessionSpec } from "../core/session.js";
import { ceilToMinute, isoSeconds } from "../core/time.js";
import type { InstanceFacts, VpcFacts } from "../core/vpc-facts.js";
import type { Deps } from "../runtime/deps.js";
import { type DirectRoute, directRouteOf } from "./direct-route.js";
import { joinSession } from "./join.js";
import { decideServices } from "./open-needs.js";
import { planTarget, type TargetPlan } from "./open-plan.js";
import { type OpenReads, readOpenFacts } from "./open-reads.js";
import { assertRebootAllowed, enforceOpenPolicy } from "./policy.js";
import { createStackWithExpiry } from "./record.js";
import { toSession } from "./shape.js";
import { resolveTtl } from "./ttl.js";

export type OpenResult =
  | { outcome: "created"; session: Session; warnings: string[] }
  | { outcome: "joined"; session: Session; warnings: string[] }
  | AlreadyReachable;

/**
 * Nothing was created: the VPC's own endpoints serve Session Manager already ("endpoints"), or
 * the named instance's subnet routes to the internet through a NAT gateway or (with a public
 * IPv4 address) an internet gateway, so its agent reaches Systems Manager without endpoints.
 */
export interface AlreadyReachable {
  outcome: "already_reachable";
  via: "endpoints" | DirectRoute["via"];
  vpcId: string;
  accountId: string;
  region: string;
  endpoints: { service: string; id: string }[];
  /** For a route: the instance, its route table and the gateway its default route goes to. */
  route?: DirectRoute & { instanceId: string };
}

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
  // DescribeInstances goes out first (the next round waits on it), then the reads that need only the request.
  const describing = request.instanceId ? describeInstance(deps.clients(region, accountId).ec2, request.instanceId) : undefined;
  const reads = readOpenFacts(deps, { accountId, region }, request.instanceId);
  const instance = await describing;
  // The kick is opt-in twice over: the request asks, and the deployment allows (before anything exists).
  if (instance && request.restartAgent === "if-offline") assertRebootAllowed(config.policy, instance.id, instance.tags);
  const vpcId = instance?.vpcId ?? (request.vpcId as string);
  return deps.locks.run(vpcId, () => openLocked(deps, { request, requester, accountId, region, ttlMs, instance, vpcId, reads }));
}

interface OpenContext {
  request: OpenRequest;
  requester: string;
  accountId: string;
  region: string;
  ttlMs: number;
  instance?: InstanceFacts;
  vpcId: string;
  /** Under way since the request was validated (lib/sessions/open-reads.ts). */
  reads: Promise<OpenReads>;
}

/** The instance's own way out, unless the request forces endpoints: then nothing is created. */
function reachableDirectly(context: OpenContext, facts: VpcFacts): AlreadyReachable | undefined {
  const { instance, request, vpcId, accountId, region } = context;
  const route = instance && !request.force ? directRouteOf(instance, facts) : undefined;
  if (!instance || !route) return undefined;
  return {
    outcome: "already_reachable",
    via: route.via,
    vpcId,
    accountId,
    region,
    endpoints: [],
    route: { ...route, instanceId: instance.id },
  };
}

async function openLocked(deps: Deps, context: OpenContext): Promise<OpenResult> {
  const { config } = deps;
  const { request, accountId, region, instance, vpcId } = context;
  const clients = deps.clients(region, accountId);
  const stackName = stackNameFor(config.stackPrefix, vpcId);
  const limited = config.policy.maxSessions > 0 || config.policy.maxSessionsPerAccount > 0;
  // One concurrent round: the VPC's facts (in its account), its stack and, when a limit is set, the
  // open-session count (from the timers in the hub); the reads that decide the endpoints and their
  // price have been under way since round one.
  const [facts, stack, liveSessions, { facts: openFacts, price }] = await Promise.all([
    gatherVpcFacts(clients.ec2, vpcId, {
      // The instance's own groups are read too: their egress decides whether the agent gets out.
      securityGroupIds: request.sourceSecurityGroupIds ?? instance?.securityGroupIds,
      wantNatGateways: Boolean(instance),
    }),
    findStack(clients.cloudFormation, stackName),
    limited ? countExpiryTimers(deps.clients(config.region).scheduler, config) : undefined,
    context.reads,
  ]);
  enforceOpenPolicy(
    config.policy,
    { vpcId, accountId, vpc: facts.vpc, joining: Boolean(stack), field: instance ? "instanceId" : "vpcId" },
    { total: liveSessions?.total ?? 0, inAccount: liveSessions?.of(accountId) ?? 0 },
  );
  const direct = reachableDirectly(context, facts);
  if (direct) {
    deps.logger.info("instance reaches Systems Manager without endpoints", { vpcId, region, ...direct.route });
    return direct;
  }
  const extras = request.extras ?? [];
  const plan = planTarget(
    {
      vpcId,
      region,
      instance,
      subnetIds: request.subnetIds,
      sourceSecurityGroupIds: request.sourceSecurityGroupIds,
      extras,
      stackName,
      needs: decideServices({ instanceId: instance?.id, extras, facts: openFacts }),
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
    return { outcome: "already_reachable", via: "endpoints", vpcId, accountId, region, endpoints: plan.existing };
  }
  const session = await createSession(deps, { vpcId, accountId, region, plan, access, expiresAt, createdAt: now, stackName, price });
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
  price: EndpointPrice;
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
    price: input.price,
  };
  await createStackWithExpiry(deps, spec, stackName);
  deps.logger.info("session opened", {
    vpcId: spec.vpcId,
    accountId: spec.accountId,
    region: spec.region,
    stackName,
    expiresAt: isoSeconds(spec.expiresAt),
    requestedBy: input.access.by,
    services: spec.services,
    pricePerEndpointHourUsd: spec.price?.usd,
  });
  const session = toSession({ spec, stackName, stackStatus: "CREATE_IN_PROGRESS" }, input.createdAt, deps.config.endpointHourlyUsd);
  await deps.notifier.notify({ type: "session.opened", session, actor: input.access.by, at: input.access.at });
  return session;
}
