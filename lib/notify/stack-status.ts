import type { SessionEvent } from "../core/session-events.js";
import { isoSeconds } from "../core/time.js";
import type { Deps } from "../runtime/deps.js";
import { readSession } from "./session-read.js";

export interface StackStatusChange {
  region: string;
  stackName: string;
  status: string;
  reason?: string;
}

/**
 * Stack statuses worth telling people about. "ready" is the creation completing; "failed" is the
 * first sign of failure (ROLLBACK_IN_PROGRESS carries the reason, ROLLBACK_COMPLETE does not) or
 * a stack stuck where only the sweeper or a person can help.
 */
const READY = new Set(["CREATE_COMPLETE"]);
const FAILED = new Set(["ROLLBACK_IN_PROGRESS", "ROLLBACK_FAILED", "DELETE_FAILED", "UPDATE_ROLLBACK_FAILED"]);

export type StackStatusOutcome = "ready" | "failed" | "ignored" | "gone";

/** Turns a stack status change into session.ready or session.failed; everything else is ignored. */
export async function onStackStatus(deps: Deps, change: StackStatusChange): Promise<StackStatusOutcome> {
  const type: SessionEvent["type"] | undefined = READY.has(change.status)
    ? "session.ready"
    : FAILED.has(change.status)
      ? "session.failed"
      : undefined;
  if (!type || !change.stackName.startsWith(`${deps.config.stackPrefix}-vpc-`)) return "ignored";
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
