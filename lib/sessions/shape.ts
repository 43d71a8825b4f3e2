import type { Stack } from "@aws-sdk/client-cloudformation";
import { formatDuration } from "../core/duration.js";
import {
  type EndpointView,
  type InstanceReadiness,
  instancesOf,
  notRead,
  type Session,
  type SessionSpec,
  type StackPlace,
  sessionConnectable,
  statusOfStack,
} from "../core/session.js";
import { isoSeconds } from "../core/time.js";
import { billFor } from "../cost/bill.js";
import { estimateCostUsd } from "../cost/estimate.js";
import type { Deps } from "../runtime/deps.js";
import { specFromStack } from "./stack-record.js";

export interface SessionView {
  spec: SessionSpec;
  stackName: string;
  stackStatus?: string;
  endpoints?: EndpointView[];
  /** Each instance's readiness, where it was read (GET /sessions/{id}, the readiness watch). */
  instances?: InstanceReadiness[];
  /** CloudFormation's CreationTime: the bill runs from it (a session being created: its createdAt). */
  stackCreatedAt?: Date;
}

/** The price a session is billed at: the one recorded at its open, else the configured one. */
export const priceOf = (spec: SessionSpec, configuredUsd: number) => spec.price ?? { usd: configuredUsd, source: "configured" as const };

/** Shapes the API's Session object; pure, so every route and notification says the same. */
export function toSession(view: SessionView, now: Date, configuredUsd: number): Session {
  const { spec } = view;
  const price = priceOf(spec, configuredUsd);
  const soFar = billFor({
    services: spec.services,
    availabilityZones: spec.subnetIds.length,
    openedAt: view.stackCreatedAt ?? spec.createdAt,
    closedAt: now,
    pricePerEndpointHourUsd: price.usd,
  });
  const ids = instancesOf(spec);
  const instances = view.instances ?? ids.map((id) => notRead(id));
  const first = spec.requests[0];
  return {
    id: spec.vpcId,
    vpcId: spec.vpcId,
    accountId: spec.accountId,
    region: spec.region,
    stackName: view.stackName,
    status: statusOfStack(view.stackStatus),
    stackStatus: view.stackStatus,
    createdAt: isoSeconds(spec.createdAt),
    expiresAt: isoSeconds(spec.expiresAt),
    expiresIn: formatDuration(spec.expiresAt.getTime() - now.getTime()),
    requestedBy: first?.by ?? "unknown",
    reason: first?.reason ?? null,
    requesters: [...new Set(spec.requests.map((request) => request.by))],
    instances,
    connectable: sessionConnectable(instances),
    subnetIds: spec.subnetIds,
    sourceSecurityGroupIds: spec.sourceSecurityGroupIds,
    sourceCidrs: spec.sourceCidrs,
    endpoints: view.endpoints ?? spec.services.map((service) => ({ service, id: null, state: "pending" })),
    connect: ids[0] ? `aws ssm start-session --target ${ids[0]} --region ${spec.region}` : null,
    estimatedCostUsd: estimateCostUsd(spec, price.usd),
    costSoFarUsd: soFar.usd,
    pricePerEndpointHourUsd: price.usd,
    priceSource: price.source,
  };
}

/** A session stack as the API's Session, now: the one way every reader turns a stack into a session. */
export function sessionOfStack(
  deps: Pick<Deps, "clock" | "config">,
  stack: Stack,
  place: StackPlace,
  view: Partial<SessionView> = {},
): Session {
  return toSession(
    {
      spec: specFromStack(stack, place),
      stackName: stack.StackName ?? "",
      stackStatus: stack.StackStatus,
      stackCreatedAt: stack.CreationTime,
      ...view,
    },
    deps.clock(),
    deps.config.endpointHourlyUsd,
  );
}
