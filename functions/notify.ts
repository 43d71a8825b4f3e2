import { cloudFormation, scheduler, ssm } from "../lib/aws/client-factories.js";
import type { ClientFactories } from "../lib/aws/clients.js";
import { type SecretSource, secretSourceFor } from "../lib/aws/secrets.js";
import type { SessionEvent } from "../lib/core/session-events.js";
import { handleSessionEvent } from "../lib/notify/pipeline.js";
import { lambdaDeps } from "../lib/runtime/deps.js";
import { eventHandler } from "../lib/runtime/event-handler.js";

// Delivery arms the expiring warning (Scheduler), reads secrets (SSM) and, in local mode only, watches
// the new stack (CloudFormation).
const clients = { cloudFormation, scheduler, ssm } satisfies ClientFactories;

/**
 * Delivers one session event (invoked asynchronously by whichever function emitted it): arms the
 * expiring warning, then Slack and the generic webhook, with retries. Never fails on a sink.
 */
export const createHandler = (deps = lambdaDeps(clients), secrets?: SecretSource) => {
  let source = secrets;
  return eventHandler(deps, (event: SessionEvent, deps) => {
    source ??= secretSourceFor(deps);
    return handleSessionEvent(deps, source, event);
  });
};

export const handler = createHandler();
