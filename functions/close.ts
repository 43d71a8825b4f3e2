import { lazyDeps } from "../lib/deps.js";
import { httpHandler } from "../lib/handler.js";
import { json, requesterOf } from "../lib/http.js";
import { closeSession } from "../lib/lifecycle.js";

/** DELETE /sessions/{id}: close now; the stack is deleted and its timers removed. */
export const createHandler = (deps = lazyDeps()) =>
  httpHandler(deps, async (event, deps) => {
    const requester = requesterOf(event);
    return json(202, { session: await closeSession(deps, event.pathParameters?.id ?? "", requester) });
  });

export const handler = createHandler();
