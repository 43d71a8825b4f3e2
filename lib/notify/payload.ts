import { randomUUID } from "node:crypto";
import type { Bill, Session } from "../core/session.js";
import type { SessionEvent, SessionEventType } from "../core/session-events.js";

/** Bumped only on a breaking change; receivers should check it. Additive fields do not bump it. */
export const WEBHOOK_SCHEMA_VERSION = 1;

/** The generic webhook's body: a stable, versioned envelope around the API's Session object. */
export interface WebhookPayload {
  version: typeof WEBHOOK_SCHEMA_VERSION;
  /** Unique per event; a receiver can deduplicate retried deliveries with it. */
  id: string;
  type: SessionEventType;
  occurredAt: string;
  actor: string;
  reason: string | null;
  /** session.closed: what the session's endpoints cost (additive: no version bump). */
  bill: Bill | null;
  session: Session;
}

export function webhookPayload(event: SessionEvent, id: string = randomUUID()): WebhookPayload {
  return {
    version: WEBHOOK_SCHEMA_VERSION,
    id,
    type: event.type,
    occurredAt: event.at,
    actor: event.actor,
    reason: event.reason ?? null,
    bill: event.bill ?? null,
    session: event.session,
  };
}
