import { lazyDeps } from "../lib/deps.js";
import { httpHandler } from "../lib/handler.js";
import { json, requesterOf } from "../lib/http.js";
import { listSessions } from "../lib/lifecycle.js";

/** GET /sessions: every ssm-knock session in the enabled regions, newest first. */
export const createHandler = (deps = lazyDeps()) =>
  httpHandler(deps, async (event, deps) => {
    requesterOf(event);
    return json(200, { sessions: await listSessions(deps) });
  });

export const handler = createHandler();
