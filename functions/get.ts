import { lazyDeps } from "../lib/deps.js";
import { httpHandler } from "../lib/handler.js";
import { json, requesterOf } from "../lib/http.js";
import { getSession } from "../lib/lifecycle.js";

/** GET /sessions/{id}: one session, its endpoints' states and its instances' ping status. */
export const createHandler = (deps = lazyDeps()) =>
  httpHandler(deps, async (event, deps) => {
    requesterOf(event);
    const { instancePings, ...session } = await getSession(deps, event.pathParameters?.id ?? "");
    return json(200, { session: { ...session, instances: instancePings } });
  });

export const handler = createHandler();
