import { formatDuration } from "./duration.js";
import { type EndpointService, isBilled } from "./endpoint-services.js";
import { isoSeconds } from "./time.js";

/** One request that opened or joined a session: who, when, why, for which instance. */
export interface AccessRequest {
  by: string;
  at: string;
  reason?: string;
  instanceId?: string;
}

/** What a session's stack should look like: everything needed to create or update it. */
export interface SessionSpec {
  vpcId: string;
  region: string;
  subnetIds: string[];
  sourceSecurityGroupIds: string[];
  sourceCidrs: string[];
  services: EndpointService[];
  s3RouteTableIds: string[];
  expiresAt: Date;
  createdAt: Date;
  requests: AccessRequest[];
}

export type SessionStatus = "creating" | "ready" | "closing" | "closed" | "failed";

export interface EndpointView {
  service: EndpointService;
  id: string | null;
  state: string;
}

/** The `Session` object of the API contract. */
export interface Session {
  id: string;
  vpcId: string;
  region: string;
  stackName: string;
  status: SessionStatus;
  stackStatus?: string;
  createdAt: string;
  expiresAt: string;
  expiresIn: string;
  requestedBy: string;
  reason: string | null;
  requesters: string[];
  instances: string[];
  subnetIds: string[];
  sourceSecurityGroupIds: string[];
  sourceCidrs: string[];
  endpoints: EndpointView[];
  connect: string | null;
  estimatedCostUsd: number;
}

/** The Session API status of a CloudFormation stack status. */
export function statusOfStack(stackStatus: string | undefined): SessionStatus {
  switch (stackStatus) {
    case undefined:
    case "DELETE_COMPLETE":
      return "closed";
    case "CREATE_IN_PROGRESS":
    case "REVIEW_IN_PROGRESS":
      return "creating";
    case "CREATE_COMPLETE":
    case "UPDATE_IN_PROGRESS":
    case "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS":
    case "UPDATE_COMPLETE":
    case "UPDATE_ROLLBACK_IN_PROGRESS":
    case "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS":
    case "UPDATE_ROLLBACK_COMPLETE":
      // An update only touches rules and tags: the endpoints stay up throughout.
      return "ready";
    case "DELETE_IN_PROGRESS":
      return "closing";
    default:
      // CREATE_FAILED, ROLLBACK_*, DELETE_FAILED, UPDATE_ROLLBACK_FAILED, IMPORT_*: needs the sweeper.
      return "failed";
  }
}

/** A session whose endpoints exist or are being made: one that can be joined or extended. */
export const isLive = (stackStatus: string | undefined) => ["creating", "ready"].includes(statusOfStack(stackStatus));

const HOUR = 3_600_000;

/** Endpoint-hours times the hourly price; AWS bills a partial hour as a full one. */
export function estimateCostUsd(spec: SessionSpec, hourlyUsd: number): number {
  const billed = spec.services.filter(isBilled).length * Math.max(1, spec.subnetIds.length);
  const hours = Math.max(1, Math.ceil((spec.expiresAt.getTime() - spec.createdAt.getTime()) / HOUR));
  return Math.round(billed * hours * hourlyUsd * 1000) / 1000;
}

export function instancesOf(spec: SessionSpec): string[] {
  return [...new Set(spec.requests.flatMap((request) => (request.instanceId ? [request.instanceId] : [])))];
}

export interface SessionView {
  spec: SessionSpec;
  stackName: string;
  stackStatus?: string;
  endpoints?: EndpointView[];
}

/** Shapes the API's Session object; pure, so every route and notification says the same. */
export function toSession(view: SessionView, now: Date, hourlyUsd: number): Session {
  const { spec } = view;
  const instances = instancesOf(spec);
  const first = spec.requests[0];
  return {
    id: spec.vpcId,
    vpcId: spec.vpcId,
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
    subnetIds: spec.subnetIds,
    sourceSecurityGroupIds: spec.sourceSecurityGroupIds,
    sourceCidrs: spec.sourceCidrs,
    endpoints: view.endpoints ?? spec.services.map((service) => ({ service, id: null, state: "pending" })),
    connect: instances[0] ? `aws ssm start-session --target ${instances[0]} --region ${spec.region}` : null,
    estimatedCostUsd: estimateCostUsd(spec, hourlyUsd),
  };
}
