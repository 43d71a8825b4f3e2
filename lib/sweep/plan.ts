import type { Stack, StackResource } from "@aws-sdk/client-cloudformation";
import type { StackPlace } from "../core/session.js";
import type { TimerKind } from "../core/timers.js";

export type SweepAction =
  | { kind: "delete_expired"; stack: Stack; place: StackPlace }
  | { kind: "delete_failed"; stack: Stack; place: StackPlace }
  | { kind: "retry_delete"; stack: Stack; place: StackPlace }
  | { kind: "recreate_timer"; stack: Stack; place: StackPlace; expiresAt: Date }
  | { kind: "remove_timer"; sessionId: string; accountId: string; timer: TimerKind };

export interface SweepInput {
  now: Date;
  /** Every ssm-knock stack, with its account and region and its recorded expiry. */
  stacks: { stack: Stack; place: StackPlace; sessionId: string; expiresAt: Date }[];
  /** Every timer of ours that existed before the stacks were listed, with the account its name says. */
  timers: { sessionId: string; accountId: string; kind: TimerKind }[];
  /** Accounts whose stacks could not all be listed this run: their timers are kept, whatever they look like. */
  unlisted?: ReadonlySet<string>;
}

/** Creation failed or rolled back: the stack holds nothing billable but must not stay. */
const FAILED_CREATION = new Set(["CREATE_FAILED", "ROLLBACK_COMPLETE", "ROLLBACK_FAILED"]);
/** CloudFormation is already working on these; acting now would only be refused. */
const BUSY = new Set([
  "DELETE_IN_PROGRESS",
  "ROLLBACK_IN_PROGRESS",
  "UPDATE_ROLLBACK_IN_PROGRESS",
  "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
  "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
]);

/**
 * Decides what the sweeper does; pure, so every rule is unit-tested. The invariant it restores:
 * no stack past its expiry, no timer without a stack, no live stack without a timer. A timer of
 * an account that could not be listed is no evidence of a missing stack, so it stays.
 */
export function planSweep(input: SweepInput): SweepAction[] {
  const actions: SweepAction[] = [];
  const liveSessions = new Set<string>();
  const timed = new Set(input.timers.filter((t) => t.kind === "expire").map((t) => t.sessionId));

  for (const { stack, place, sessionId, expiresAt } of input.stacks) {
    const status = stack.StackStatus ?? "";
    liveSessions.add(sessionId);
    if (status === "DELETE_FAILED") actions.push({ kind: "retry_delete", stack, place });
    else if (BUSY.has(status)) continue;
    else if (FAILED_CREATION.has(status)) actions.push({ kind: "delete_failed", stack, place });
    else if (expiresAt <= input.now) actions.push({ kind: "delete_expired", stack, place });
    else if (!timed.has(sessionId)) actions.push({ kind: "recreate_timer", stack, place, expiresAt });
  }
  for (const timer of input.timers) {
    if (liveSessions.has(timer.sessionId) || input.unlisted?.has(timer.accountId)) continue;
    actions.push({ kind: "remove_timer", sessionId: timer.sessionId, accountId: timer.accountId, timer: timer.kind });
  }
  return actions;
}

/** Resources that cost nothing while they wait: the only ones a stuck delete may leave behind. */
const FREE_TO_RETAIN = new Set(["AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress"]);

/**
 * What a DELETE_FAILED stack may retain on the retry. Never a billed endpoint: while any endpoint
 * is still there, retry plainly (usually the group was only waiting for endpoint interfaces to
 * go). Once every endpoint is gone, a group that still fails to delete is held by something
 * outside the stack; retaining it (free, tagged, logged) lets the stack finish deleting.
 */
export function retainableOnRetry(resources: StackResource[]): string[] {
  const endpointsLeft = resources.some((r) => r.ResourceType === "AWS::EC2::VPCEndpoint" && r.ResourceStatus !== "DELETE_COMPLETE");
  if (endpointsLeft) return [];
  return resources
    .filter((r) => r.ResourceStatus === "DELETE_FAILED" && FREE_TO_RETAIN.has(r.ResourceType ?? ""))
    .map((r) => r.LogicalResourceId as string);
}
