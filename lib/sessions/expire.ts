import { deleteTimer } from "../aws/schedules.js";
import { findStack, isManagedStack, stackNameFor } from "../aws/stacks.js";
import { isoSeconds } from "../core/time.js";
import type { TimerInput } from "../core/timers.js";
import type { Deps } from "../runtime/deps.js";
import { billOfStack } from "./bill.js";
import { deleteSessionStack } from "./record.js";
import { sessionOfStack } from "./shape.js";
import { specFromStack } from "./stack-record.js";

export type ExpireOutcome = "deleted" | "already_gone" | "already_closing" | "not_expired" | "not_managed";

/**
 * The expiry timer's target. It trusts nothing in the timer but the session id: the stack's own
 * recorded expiry decides, so a stale timer (the session was extended) deletes nothing, and a
 * second delivery of the same event finds the stack gone or closing.
 */
export function expireSession(deps: Deps, timer: TimerInput): Promise<{ outcome: ExpireOutcome; stackName: string }> {
  // Serialised with every other change to the session, so two deliveries arriving together in
  // one process delete (and announce) once; across Lambdas the second finds it closing.
  return deps.locks.run(timer.sessionId, () => expireLocked(deps, timer));
}

async function expireLocked(deps: Deps, timer: TimerInput): Promise<{ outcome: ExpireOutcome; stackName: string }> {
  const { config, logger } = deps;
  const stackName = stackNameFor(config.stackPrefix, timer.sessionId);
  // The session's own account (a timer armed before accounts existed is the hub's).
  const place = { accountId: timer.accountId ?? config.accounts.hub, region: timer.region };
  const cloudFormation = deps.clients(place.region, place.accountId).cloudFormation;
  const stack = await findStack(cloudFormation, stackName);
  const log = { sessionId: timer.sessionId, ...place, stackName };

  if (!stack) {
    logger.info("expire: stack already gone", log);
    await deleteTimer(deps.clients(config.region).scheduler, config, "warn", timer.sessionId, place.accountId);
    return { outcome: "already_gone", stackName };
  }
  if (!isManagedStack(stack)) {
    logger.warn("expire: stack is not managed by ssm-knock; left alone", log);
    return { outcome: "not_managed", stackName };
  }
  if (stack.StackStatus === "DELETE_IN_PROGRESS") {
    return { outcome: "already_closing", stackName };
  }
  const { expiresAt } = specFromStack(stack, place);
  const now = deps.clock();
  if (expiresAt > now) {
    logger.info("expire: session was extended; nothing deleted", { ...log, expiresAt: isoSeconds(expiresAt) });
    return { outcome: "not_expired", stackName };
  }
  await deleteSessionStack(deps, place, stackName);
  await deleteTimer(deps.clients(config.region).scheduler, config, "warn", timer.sessionId, place.accountId);
  const session = sessionOfStack(deps, stack, place, { stackStatus: "DELETE_IN_PROGRESS" });
  const bill = billOfStack(deps, stack, place, now);
  await deps.notifier.notify({ type: "session.closed", session, actor: "ssm-knock", reason: "expired", at: isoSeconds(now), bill });
  logger.info("expire: stack deletion started", {
    ...log,
    expiresAt: isoSeconds(expiresAt),
    overrunMs: now.getTime() - expiresAt.getTime(),
    bill,
  });
  return { outcome: "deleted", stackName };
}
