import { lazyDeps } from "../lib/deps.js";
import { eventHandler } from "../lib/handler.js";
import { sweep } from "../lib/sweep.js";

/** Runs every few minutes: deletes whatever expired or failed and re-aligns timers with stacks. */
export const createHandler = (deps = lazyDeps()) => eventHandler(deps, (_event: unknown, deps) => sweep(deps));

export const handler = createHandler();
