import type { EndpointService } from "./endpoint-services.js";
import type { EndpointPrice } from "./open-facts.js";
import type { Check } from "./readiness-facts.js";

/** One request that opened or joined a session: who, when, why, for which instance. */
export interface AccessRequest {
  by: string;
  at: string;
  reason?: string;
  instanceId?: string;
  /** "if-offline": ssm-knock may reboot this instance once if its agent does not connect (opt-in, ALLOW_REBOOT). */
  restartAgent?: "if-offline";
}

/** Where a session's stack is: an account of the organization (the hub's own, or a member) and a region. */
export interface StackPlace {
  accountId: string;
  region: string;
}

/** What a session's stack should look like: everything needed to create or update it. */
export interface SessionSpec {
  vpcId: string;
  accountId: string;
  region: string;
  subnetIds: string[];
  sourceSecurityGroupIds: string[];
  sourceCidrs: string[];
  services: EndpointService[];
  s3RouteTableIds: string[];
  expiresAt: Date;
  createdAt: Date;
  requests: AccessRequest[];
  /** The endpoint-hour price the session was opened at (recorded on its stack); absent on stacks from before issue 16. */
  price?: EndpointPrice;
}

export type SessionStatus = "creating" | "ready" | "closing" | "closed" | "failed";

/** SSM's view of an instance; "unknown" when it could not be asked (or was not). */
export type PingStatus = "Online" | "ConnectionLost" | "Inactive" | "NotRegistered" | "unknown";

/** One instance of a session, as far as reaching it with Session Manager goes. */
export interface InstanceReadiness {
  id: string;
  pingStatus: PingStatus;
  agentVersion: string | null;
  lastPingAt: string | null;
  /** ssm:GetConnectionStatus, what Session Manager itself checks: null when unknown. */
  connectable: boolean | null;
  /** The diagnosis, in the order of AWS's runbook (empty where it was not read). */
  checks: Check[];
  /** When ssm-knock rebooted it to restart its agent (restartAgent), if it did. */
  rebootedAt: string | null;
}

export interface EndpointView {
  service: EndpointService;
  id: string | null;
  state: string;
}

/** What a session's endpoints cost over a span of its life: the bill of session.closed, and the cost so far. */
export interface Bill {
  /** Interface endpoints x AZs x started hours. */
  endpointHours: number;
  usd: number;
  /** The stack's creation (CloudFormation's CreationTime). */
  openedAt: string;
  /** When ssm-knock asked CloudFormation to delete it (or now, for the cost so far). */
  closedAt: string;
  startedHours: number;
  interfaceEndpoints: number;
  availabilityZones: number;
  pricePerEndpointHourUsd: number;
}

/** The `Session` object of the API contract. */
export interface Session {
  id: string;
  vpcId: string;
  /** The account the VPC and the session's stack are in. */
  accountId: string;
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
  instances: InstanceReadiness[];
  /** Every instance of the session is connectable: true; one is not: false; unknown (not read): null. */
  connectable: boolean | null;
  subnetIds: string[];
  sourceSecurityGroupIds: string[];
  sourceCidrs: string[];
  endpoints: EndpointView[];
  connect: string | null;
  /** What the session will have cost at its expiry. */
  estimatedCostUsd: number;
  /** What it has cost from its stack's creation until now (started endpoint-hours x price). */
  costSoFarUsd: number;
  /** One Interface endpoint in one AZ for one hour, in the session's region. */
  pricePerEndpointHourUsd: number;
  /** "price-list": the AWS Price List Query API; "configured": ENDPOINT_HOURLY_USD. */
  priceSource: EndpointPrice["source"];
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

/** An instance whose readiness was not read (lists, events): nothing is claimed about it. */
export const notRead = (id: string, rebootedAt: string | null = null): InstanceReadiness => ({
  id,
  pingStatus: "unknown",
  agentVersion: null,
  lastPingAt: null,
  connectable: null,
  checks: [],
  rebootedAt,
});

/**
 * A session is connectable when it has instances and every one of them is; it is not when any
 * one is known not to be; otherwise (nothing read yet) it is unknown, null.
 */
export function sessionConnectable(instances: InstanceReadiness[]): boolean | null {
  if (instances.length > 0 && instances.every((instance) => instance.connectable === true)) return true;
  if (instances.some((instance) => instance.connectable === false)) return false;
  return null;
}
