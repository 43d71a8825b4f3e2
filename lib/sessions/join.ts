import type { Stack } from "@aws-sdk/client-cloudformation";
import { ConflictError, PreconditionError } from "../core/errors.js";
import { type AccessRequest, isLive, type Session, type SessionSpec, type StackPlace, statusOfStack } from "../core/session.js";
import { isoSeconds } from "../core/time.js";
import type { Deps } from "../runtime/deps.js";
import type { TargetPlan } from "./open-plan.js";
import { assertWithinLifetime } from "./policy.js";
import { applySpec } from "./record.js";
import { toSession } from "./shape.js";
import { specFromStack } from "./stack-record.js";

/** The template's fixed ingress slots (template/endpoints.yaml). */
const MAX_SOURCE_GROUPS = 8;
const MAX_SOURCE_CIDRS = 5;

export interface JoinInput {
  plan: TargetPlan;
  access: AccessRequest;
  expiresAt: Date;
  zoneOf: Map<string, string>;
}

const union = <T>(a: T[], b: T[]) => [...new Set([...a, ...b])];

/** The spec after another request joins: never a shorter expiry, never fewer sources. */
export function mergeSpec(current: SessionSpec, input: JoinInput): SessionSpec {
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

/** Joins the VPC's live session: its stack and timer move to the merged spec together. */
export async function joinSession(deps: Deps, stack: Stack, place: StackPlace, input: JoinInput): Promise<Session> {
  const { config } = deps;
  if (!isLive(stack.StackStatus)) {
    throw new ConflictError(
      `The previous session for this VPC is ${statusOfStack(stack.StackStatus)} (${stack.StackStatus}); ssm-knock is removing it. Try again in a few minutes.`,
      "session_closing",
    );
  }
  const stackName = stack.StackName ?? "";
  const current = specFromStack(stack, place);
  assertWithinLifetime(current.createdAt, input.expiresAt, config.maxLifetimeMs, deps.clock());
  const spec = mergeSpec(current, input);
  await applySpec(deps, spec, stackName, current.expiresAt);
  deps.logger.info("session joined", { vpcId: spec.vpcId, requestedBy: input.access.by, expiresAt: isoSeconds(spec.expiresAt) });
  const session = toSession(
    { spec, stackName, stackStatus: stack.StackStatus, stackCreatedAt: stack.CreationTime },
    deps.clock(),
    config.endpointHourlyUsd,
  );
  await deps.notifier.notify({ type: "session.opened", session, actor: input.access.by, at: input.access.at });
  return session;
}
