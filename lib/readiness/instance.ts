import type { ReadinessFacts } from "../core/readiness-facts.js";
import type { InstanceReadiness, PingStatus } from "../core/session.js";
import { isoSeconds } from "../core/time.js";
import { agentVersionOf, readinessChecks } from "./checks.js";

/** SSM's ping statuses as the API shows them; anything else it might say is "unknown". */
const KNOWN_PINGS = new Set<string>(["Online", "ConnectionLost", "Inactive"]);

function pingStatusOf(facts: ReadinessFacts): PingStatus {
  if (!facts.ping.ok) return "unknown";
  const status = facts.ping.value?.PingStatus;
  if (!facts.ping.value) return "NotRegistered";
  return status && KNOWN_PINGS.has(status) ? (status as PingStatus) : "unknown";
}

/** One instance's readiness from its facts: SSM's view, Session Manager's own answer, the diagnosis. */
export function readinessOf(facts: ReadinessFacts, now: Date, rebootedAt: string | null = null): InstanceReadiness {
  const lastPing = facts.ping.ok ? facts.ping.value?.LastPingDateTime : undefined;
  return {
    id: facts.instanceId,
    pingStatus: pingStatusOf(facts),
    agentVersion: agentVersionOf(facts) ?? null,
    lastPingAt: lastPing ? isoSeconds(new Date(lastPing)) : null,
    connectable: facts.connection.ok ? facts.connection.value === "connected" : null,
    checks: readinessChecks(facts, now),
    rebootedAt,
  };
}
