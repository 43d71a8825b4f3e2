import type { Stack } from "@aws-sdk/client-cloudformation";
import { upsertTimer } from "../aws/schedules.js";
import { findStack, isManagedStack, isSessionStackName, latestFailureReason } from "../aws/stacks.js";
import type { SessionEventType } from "../core/session-events.js";
import { isoSeconds } from "../core/time.js";
import type { Deps } from "../runtime/deps.js";
import { expiryTimerOf } from "./record.js";
import { sessionOfStack } from "./shape.js";
import { specFromStack } from "./stack-record.js";

export interface StackStatusChange {
  /** The account the stack is in (from its stack id; a member account's events are forwarded to the hub). */
  accountId: string;
  region: string;
  stackName: string;
  status: string;
  reason?: string;
}

/**
 * The one rule for what a stack status tells people, used by the stack-events function (AWS's
 * status events on EventBridge) and by local mode's watcher (which polls). Only settled states
 * count, each once: a creation that completed is `session.ready`; one that rolled back, or a
 * stack stuck where only the sweeper or a person can help, is `session.failed`; a change that
 * rolled back (the session runs on as it was) is `session.update_failed`. In-progress states say
 * nothing, so a poller that never sees them tells exactly what EventBridge would.
 */
const EVENT_OF_STATUS: Record<string, SessionEventType> = {
  CREATE_COMPLETE: "session.ready",
  CREATE_FAILED: "session.failed",
  ROLLBACK_COMPLETE: "session.failed",
  ROLLBACK_FAILED: "session.failed",
  DELETE_FAILED: "session.failed",
  UPDATE_ROLLBACK_FAILED: "session.failed",
  UPDATE_ROLLBACK_COMPLETE: "session.update_failed",
};

export const eventOfStackStatus = (status: string): SessionEventType | undefined => EVENT_OF_STATUS[status];

/** The statuses the rule tells: what the EventBridge rules (serverless.yml, template/region-events.yaml) must match. */
export const TOLD_STATUSES = Object.keys(EVENT_OF_STATUS);

export type StackStatusOutcome = "ready" | "failed" | "update_failed" | "ignored" | "gone";

const OUTCOME: Partial<Record<SessionEventType, StackStatusOutcome>> = {
  "session.ready": "ready",
  "session.failed": "failed",
  "session.update_failed": "update_failed",
};

/**
 * Turns a stack status change into the event the rule names; everything else is ignored. A
 * failure carries CloudFormation's reason (its first failed resource event, else the status's
 * own reason). After any rollback of a change the expiry timer is put back to the expiry the
 * stack still records, so a refused extension never leaves a timer that promises more.
 */
export async function onStackStatus(deps: Deps, change: StackStatusChange): Promise<StackStatusOutcome> {
  const type = eventOfStackStatus(change.status);
  if (!type || !isSessionStackName(deps.config.stackPrefix, change.stackName)) return "ignored";
  // Events of an account ssm-knock does not serve (any longer) are not read, not acted on.
  if (!deps.config.accounts.allowed.includes(change.accountId)) return "ignored";
  const place = { accountId: change.accountId, region: change.region };
  const cloudFormation = deps.clients(place.region, place.accountId).cloudFormation;
  const stack = await findStack(cloudFormation, change.stackName);
  if (!stack || !isManagedStack(stack)) return "gone";
  const failed = type !== "session.ready";
  const reason = failed ? ((await latestFailureReason(cloudFormation, change.stackName)) ?? (change.reason || change.status)) : undefined;
  if (change.status.startsWith("UPDATE_ROLLBACK_")) await realignExpiryTimer(deps, stack, change);
  const session = sessionOfStack(deps, stack, place);
  await deps.notifier.notify({ type, session, actor: "ssm-knock", reason, at: isoSeconds(deps.clock()) });
  return OUTCOME[type] ?? "ignored";
}

async function realignExpiryTimer(deps: Deps, stack: Stack, change: StackStatusChange): Promise<void> {
  const { config } = deps;
  const spec = specFromStack(stack, change);
  const scheduler = deps.clients(config.region).scheduler;
  await upsertTimer(scheduler, config, expiryTimerOf(spec, change.stackName), spec.expiresAt, config.expireFunctionArn, "existing");
  deps.logger.warn("change rolled back; expiry timer re-aligned with the stack", {
    stackName: change.stackName,
    expiresAt: isoSeconds(spec.expiresAt),
  });
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
  const match = /^arn:[^:]+:cloudformation:([^:]+):(\d{12}):stack\/([^/]+)\//.exec(stackId);
  const status = e.detail?.["status-details"]?.status;
  if (!match || !status) return undefined;
  return {
    accountId: match[2],
    region: match[1],
    stackName: match[3],
    status,
    reason: e.detail?.["status-details"]?.["status-reason"] || undefined,
  };
}
