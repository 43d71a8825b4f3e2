import { lazyDeps } from "../lib/deps.js";
import { eventHandler } from "../lib/handler.js";
import type { SessionEvent } from "../lib/notifications.js";
import { handleSessionEvent } from "../lib/notify/pipeline.js";
import { type SecretSource, secretSourceFor } from "../lib/notify/secrets.js";

/**
 * Delivers one session event (invoked asynchronously by whichever function emitted it): arms the
 * expiring warning, then Slack and the generic webhook, with retries. Never fails on a sink.
 */
export const createHandler = (deps = lazyDeps(), secrets?: SecretSource) => {
  let source = secrets;
  return eventHandler(deps, (event: SessionEvent, deps) => {
    source ??= secretSourceFor(deps);
    return handleSessionEvent(deps, source, event);
  });
};

export const handler = createHandler();
