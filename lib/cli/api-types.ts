import type { Session } from "../core/session.js";

/** What the API says about one instance's readiness (GET /sessions/{id}); older servers send less. */
export interface InstanceView {
  id: string;
  pingStatus: string;
  agentVersion: string | null;
  lastPingAt: string | null;
  /** true or false from Session Manager's own check; null while unknown. */
  connectable: boolean | null;
  checks: Check[];
}

export interface Check {
  name: string;
  status: "ok" | "warn" | "fail" | "unknown";
  message: string;
  fix?: string;
}

/** The API's Session as the CLI reads it: tolerant of servers before readiness (ids only, no `connectable`). */
export type ApiSession = Omit<Session, "instances" | "accountId"> & {
  /** Absent from servers before issue 17 (they have one account). */
  accountId?: string;
  instances: (string | (Partial<InstanceView> & { id: string }))[];
  connectable?: boolean;
  statusReason?: string | null;
};

export interface AlreadyReachable {
  alreadyReachable: true;
  /** Absent from servers before issue 16 (they meant "endpoints"). */
  via?: "endpoints" | "nat-gateway" | "internet-gateway";
  vpcId: string;
  accountId?: string;
  region: string;
  endpoints: { service: string; id: string }[];
  instanceId?: string;
  gatewayId?: string;
}

/** Why nothing was opened, in one line. */
export function reachableLine(reply: AlreadyReachable): string {
  if (reply.via === "nat-gateway" || reply.via === "internet-gateway") {
    const way = reply.via === "nat-gateway" ? "a NAT gateway" : "an internet gateway";
    return `${reply.instanceId} already reaches Systems Manager through ${way} (${reply.gatewayId}); nothing was opened.`;
  }
  const endpoints = reply.endpoints.map((e) => `${e.service} ${e.id}`).join(", ");
  return `${reply.vpcId} (${reply.region}) already has every endpoint Session Manager needs (${endpoints}); nothing was opened.`;
}

export type OpenReply = { session: ApiSession; warnings?: string[] } | AlreadyReachable;

/** Every instance of a session in one shape; what an older server does not say is unknown. */
export function instancesOf(session: ApiSession): InstanceView[] {
  return session.instances.map((entry) => {
    const view = typeof entry === "string" ? { id: entry } : entry;
    return {
      id: view.id,
      pingStatus: view.pingStatus ?? "unknown",
      agentVersion: view.agentVersion ?? null,
      lastPingAt: view.lastPingAt ?? null,
      connectable: typeof view.connectable === "boolean" ? view.connectable : null,
      checks: Array.isArray(view.checks) ? view.checks : [],
    };
  });
}
