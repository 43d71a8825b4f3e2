import type { SecretSource } from "../aws/secrets.js";
import type { SessionEvent } from "../core/session-events.js";
import { startWatch } from "../readiness/watch.js";
import type { Deps } from "../runtime/deps.js";
import { type DeliveryReport, deliverToAll } from "./deliver.js";
import { sinksFrom } from "./sinks.js";
import { armExpiryWarning } from "./warning.js";

/** The endpoints just became available, or someone joined a session whose endpoints are: watch until connectable. */
const startsWatch = (event: SessionEvent) =>
  event.type === "session.ready" || (event.type === "session.opened" && event.session.status === "ready");

/**
 * Everything that follows a session event: (re)arm the expiring-warning timer when the expiry
 * was set, moved or put back, start the readiness watch when there is something to watch, then
 * deliver the event to every configured sink at once. Never throws.
 */
export async function handleSessionEvent(deps: Deps, secrets: SecretSource, event: SessionEvent): Promise<DeliveryReport[]> {
  const { logger } = deps;
  const context = { eventType: event.type, sessionId: event.session.id };
  const background: Promise<unknown>[] = [];
  // The expiry was set, moved, or (a change rolled back) put back: the warning follows it.
  if (event.type === "session.opened" || event.type === "session.extended" || event.type === "session.update_failed") {
    background.push(
      armExpiryWarning(deps, event.session).catch((error) =>
        logger.warn("expiring warning not armed", { ...context, error: (error as Error).message }),
      ),
    );
  }
  if (startsWatch(event)) {
    background.push(
      startWatch(deps, event.session).catch((error) =>
        logger.warn("readiness watch not started", { ...context, error: (error as Error).message }),
      ),
    );
  }
  let reports: DeliveryReport[] = [];
  try {
    const { sinks, problems } = sinksFrom(await secrets(), deps.clock, {
      timeoutMs: deps.config.notify.timeoutMs,
      retries: deps.config.notify.retries,
    });
    for (const problem of problems) logger.warn(`notifications: ${problem}`);
    reports = await deliverToAll(sinks, event, logger);
  } catch (error) {
    logger.error("notifications: secrets could not be read", { ...context, error: (error as Error).message });
  }
  await Promise.all(background);
  return reports;
}
