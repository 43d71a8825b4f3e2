import type { EndpointService } from "./endpoint-services.js";

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

export function instancesOf(spec: SessionSpec): string[] {
  return [...new Set(spec.requests.flatMap((request) => (request.instanceId ? [request.instanceId] : [])))];
}
