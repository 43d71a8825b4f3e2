import { assumeRole, cloudFormation } from "../lib/aws/client-factories.js";
import type { ClientFactories } from "../lib/aws/clients.js";
import { parseTimerInput } from "../lib/core/timers.js";
import { warnOfExpiry } from "../lib/notify/expiring.js";
import { notifierFor } from "../lib/notify/notifiers.js";
import { lambdaDeps } from "../lib/runtime/deps.js";
import { eventHandler } from "../lib/runtime/event-handler.js";

// The warning reads the session's stack (CloudFormation, in its account: STS for a member's) and
// hands the event on.
const clients = { cloudFormation, assumeRole } satisfies ClientFactories;

/** Target of the one-time "warn" schedules: sends session.expiring a while before the expiry. */
export const createHandler = (deps = lambdaDeps(clients, notifierFor)) =>
  eventHandler(deps, (event: unknown, deps) => warnOfExpiry(deps, parseTimerInput(event)));

export const handler = createHandler();
