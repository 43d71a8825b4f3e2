import type { ClientFactories } from "../lib/aws.js";
import { cloudFormation, scheduler } from "../lib/client-factories.js";
import { lambdaDeps } from "../lib/deps.js";
import { expireSession } from "../lib/expire.js";
import { eventHandler } from "../lib/handler.js";
import { notifierFor } from "../lib/notify/notifiers.js";
import { parseTimerInput } from "../lib/timer-input.js";

// Expire reads and deletes the stack (CloudFormation) and removes the timer (Scheduler).
const clients = { cloudFormation, scheduler } satisfies ClientFactories;

/** The expiry schedule's target: deletes the session's stack once it has really expired. */
export const createHandler = (deps = lambdaDeps(clients, notifierFor)) =>
  eventHandler(deps, (event: unknown, deps) => expireSession(deps, parseTimerInput(event)));

export const handler = createHandler();
