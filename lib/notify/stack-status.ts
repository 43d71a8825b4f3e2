import { isSessionStackName } from "../aws/stacks.js";
import type { SessionEventType } from "../core/session-events.js";
import { isoSeconds } from "../core/time.js";
import type { Deps } from "../runtime/deps.js";
import { readSession } from "../sessions/read.js";

export interface StackStatusChange {
  region: string;
  stackName: string;
  status: string;
  reason?: string;
}

/**
 * The one rule for what a stack status tells people, used by the stack-events function (AWS's
 * status events on EventBridge) and by local mode's watcher (which polls). Only settled states
 * count, each once: a creation that completed is `session.ready`; one that rolled back, or a
 * stack stuck where only the sweeper or a person can help, is `session.failed`. In-progress
 * states say nothing, so a poller that never sees them tells exactly what EventBridge would.
 */
const EVENT_OF_STATUS: Record<string, SessionEventType> = {
  CREATE_COMPLETE: "session.ready",
  CREATE_FAILED: "session.failed",
  ROLLBACK_COMPLETE: "session.failed",
  ROLLBACK_FAILED: "session.failed",
  DELETE_FAILED: "session.failed",
  UPDATE_ROLLBACK_FAILED: "session.failed",
};

export const eventOfStackStatus = (status: string): SessionEventType | undefined => EVENT_OF_STATUS[status];

export type StackStatusOutcome = "ready" | "failed" | "ignored" | "gone";

/** Turns a stack status change into the event the rule names; everything else is ignored. */
export async function onStackStatus(deps: Deps, change: StackStatusChange): Promise<StackStatusOutcome> {
  const type = eventOfStackStatus(change.status);
  if (!type || !isSessionStackName(deps.config.stackPrefix, change.stackName)) return "ignored";
  const session = await readSession(deps, change.region, change.stackName);
  if (!session) return "gone";
  await deps.notifier.notify({
    type,
    session,
    actor: "ssm-knock",
    reason: type === "session.failed" ? change.reason || change.status : undefined,
    at: isoSeconds(deps.clock()),
  });
  return type === "session.ready" ? "ready" : "failed";
}

/** The EventBridge event CloudFormation sends ("CloudFormation Stack Status Change"). */
export interface StackStatusEvent {
  source: string;
  "detail-type": string;
  region: string;
  detail: { "stack-id": string; "status-details": { status: string; "status-reason"?: string } };
}

/** Reads the change out of the event; undefined for anything that is not one. */
export function parseStackStatusEvent(event: unknown): StackStatusChange | undefined {
  const e = event as Partial<StackStatusEvent> | undefined;
  if (e?.source !== "aws.cloudformation" || e["detail-type"] !== "CloudFormation Stack Status Change") return undefined;
  const stackId = e.detail?.["stack-id"] ?? "";
  // arn:aws:cloudformation:<region>:<account>:stack/<name>/<guid>
  const match = /^arn:[^:]+:cloudformation:([^:]+):\d+:stack\/([^/]+)\//.exec(stackId);
  const status = e.detail?.["status-details"]?.status;
  if (!match || !status) return undefined;
  return { region: match[1], stackName: match[2], status, reason: e.detail?.["status-details"]?.["status-reason"] || undefined };
}
