import { deleteTimer, upsertTimer } from "../aws/schedules.js";
import type { Session } from "../core/session.js";
import type { Deps } from "../runtime/deps.js";

export type WarningOutcome = "armed" | "too_late";

/**
 * Arms (or moves) the session's one-time "warn" timer to `warningLeadMs` before its expiry. It is
 * the same deterministic-name timer as the expiry (`<prefix>-warn-<vpc-id>`), so an extension
 * moves it instead of adding one, and the expire function deletes it with the session. Its target
 * is the notify-expiring function (WARN_FUNCTION_ARN), not the expire function: a warning must
 * never be able to delete anything.
 */
export async function armExpiryWarning(deps: Deps, session: Session): Promise<WarningOutcome> {
  const { config } = deps;
  const scheduler = deps.clients(config.region).scheduler;
  const warnAt = new Date(new Date(session.expiresAt).getTime() - config.notify.warningLeadMs);
  if (warnAt.getTime() <= deps.clock().getTime()) {
    // A session shorter than the lead time: the "opened" message already says when it ends.
    await deleteTimer(scheduler, config, "warn", session.id, session.accountId);
    return "too_late";
  }
  await upsertTimer(
    scheduler,
    config,
    { action: "warn", sessionId: session.id, accountId: session.accountId, region: session.region, stackName: session.stackName },
    warnAt,
    config.notify.warnFunctionArn,
  );
  return "armed";
}
