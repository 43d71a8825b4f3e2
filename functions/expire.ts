import { assumeRole, cloudFormation, scheduler } from "../lib/aws/client-factories.js";
import type { ClientFactories } from "../lib/aws/clients.js";
import { parseTimerInput } from "../lib/core/timers.js";
import { notifierFor } from "../lib/notify/notifiers.js";
import { lambdaDeps } from "../lib/runtime/deps.js";
import { eventHandler } from "../lib/runtime/event-handler.js";
import { expireSession } from "../lib/sessions/expire.js";

// Expire reads and deletes the stack (CloudFormation, in a member account through its target
// role: STS) and removes the timer (Scheduler, in the hub).
const clients = { cloudFormation, scheduler, assumeRole } satisfies ClientFactories;

/** The expiry schedule's target: deletes the session's stack once it has really expired. */
export const createHandler = (deps = lambdaDeps(clients, notifierFor)) =>
  eventHandler(deps, (event: unknown, deps) => expireSession(deps, parseTimerInput(event)));

export const handler = createHandler();
