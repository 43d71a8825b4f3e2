import { isoSeconds } from "../core/time.js";
import type { TimerInput } from "../core/timers.js";
import type { Deps } from "../runtime/deps.js";
import { readSession } from "../sessions/read.js";

export type ExpiringOutcome = "notified" | "gone" | "not_live" | "stale" | "expired";

/** A warn timer that fires up to this much early or late still warns (Scheduler has one-minute precision). */
const TOLERANCE_MS = 120_000;

/**
 * The "warn" timer's target: sends session.expiring. Like the expire function it trusts only the
 * stack: a timer left over from before an extension (expiry now further away) stays silent.
 */
export async function warnOfExpiry(deps: Deps, timer: TimerInput): Promise<ExpiringOutcome> {
  const session = await readSession(
    deps,
    { accountId: timer.accountId ?? deps.config.accounts.hub, region: timer.region },
    timer.stackName,
  );
  const log = { sessionId: timer.sessionId, stackName: timer.stackName };
  if (!session) return "gone";
  if (session.status !== "ready" && session.status !== "creating") return "not_live";
  const now = deps.clock();
  const left = new Date(session.expiresAt).getTime() - now.getTime();
  if (left <= 0) return "expired";
  if (left > deps.config.notify.warningLeadMs + TOLERANCE_MS) {
    deps.logger.info("expiring: session was extended; no warning yet", { ...log, expiresAt: session.expiresAt });
    return "stale";
  }
  await deps.notifier.notify({ type: "session.expiring", session, actor: "ssm-knock", at: isoSeconds(now) });
  return "notified";
}
