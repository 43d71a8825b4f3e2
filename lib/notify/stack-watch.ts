import { setTimeout as sleep } from "node:timers/promises";
import { findStack } from "../aws/stacks.js";
import type { Deps } from "../runtime/deps.js";
import { onStackStatus, type StackStatusOutcome } from "./stack-status.js";

const SETTLED = /_COMPLETE$|_FAILED$|^ROLLBACK_IN_PROGRESS$/;

/**
 * Local mode's stand-in for CloudFormation's status events on EventBridge: polls a new stack
 * until its creation settles and feeds the status to the same onStackStatus as AWS does.
 */
export async function watchStackCreation(
  deps: Deps,
  target: { region: string; stackName: string },
  options: { intervalMs?: number; timeoutMs?: number } = {},
): Promise<StackStatusOutcome | "timeout"> {
  const { intervalMs = 2000, timeoutMs = 15 * 60_000 } = options;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const stack = await findStack(deps.clients(target.region).cloudFormation, target.stackName);
    if (!stack) return "gone";
    const status = stack.StackStatus ?? "";
    if (SETTLED.test(status)) return onStackStatus(deps, { ...target, status, reason: stack.StackStatusReason });
    await sleep(intervalMs);
  }
  return "timeout";
}
