import type { Bill, Session } from "./session.js";

/** What happened to a session; every sink (Slack, webhooks, logs) hears the same events. */
export type SessionEventType =
  | "session.opened"
  | "session.ready"
  | "session.expiring"
  | "session.extended"
  | "session.closed"
  | "session.failed"
  /** A change (a join that adds an AZ or a group, an extension) that CloudFormation rolled back: the session runs on as it was. */
  | "session.update_failed"
  /** Every instance of the session can take a Session Manager session now. */
  | "session.connectable"
  /** ssm-knock rebooted an instance whose agent had not connected (restartAgent if-offline). */
  | "session.instance_rebooted";

export interface SessionEvent {
  type: SessionEventType;
  session: Session;
  /** Who caused it: a requester's identity, or "ssm-knock" for expiry and the sweeper. */
  actor: string;
  /**
   * For session.closed: "expired", "closed" (by actor) or "swept"; for session.failed and
   * session.update_failed: CloudFormation's reason; for session.instance_rebooted: which instance and why.
   */
  reason?: string;
  at: string;
  /** For session.closed: what its endpoints cost, from the stack's creation to its deletion (lib/cost/bill.ts). */
  bill?: Bill;
}

/** Delivers session events. Implementations never throw: a failing sink must not fail an action. */
export interface Notifier {
  notify(event: SessionEvent): Promise<void>;
}

export const silentNotifier: Notifier = { notify: async () => undefined };
