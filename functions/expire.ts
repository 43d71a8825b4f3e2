import { lazyDeps } from "../lib/deps.js";
import { expireSession } from "../lib/expire.js";
import { eventHandler } from "../lib/handler.js";
import { parseTimerInput } from "../lib/timer-input.js";

/** The expiry schedule's target: deletes the session's stack once it has really expired. */
export const createHandler = (deps = lazyDeps()) =>
  eventHandler(deps, (event: unknown, deps) => expireSession(deps, parseTimerInput(event)));

export const handler = createHandler();
