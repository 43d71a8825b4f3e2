import { lazyDeps } from "../lib/deps.js";
import { eventHandler } from "../lib/handler.js";
import { warnOfExpiry } from "../lib/notify/expiring.js";
import { parseTimerInput } from "../lib/timer-input.js";

/** Target of the one-time "warn" schedules: sends session.expiring a while before the expiry. */
export const createHandler = (deps = lazyDeps()) =>
  eventHandler(deps, (event: unknown, deps) => warnOfExpiry(deps, parseTimerInput(event)));

export const handler = createHandler();
