import { lazyDeps } from "../lib/deps.js";
import { httpHandler } from "../lib/handler.js";
import { json, requesterOf } from "../lib/http.js";
import { extendSession } from "../lib/lifecycle.js";
import { ExtendRequestSchema, validateBody } from "../lib/requests.js";

/** POST /sessions/{id}/extend {"ttl": "1h"}: expiry becomes now + ttl, never earlier than it was. */
export const createHandler = (deps = lazyDeps()) =>
  httpHandler(deps, async (event, deps) => {
    const requester = requesterOf(event);
    const { ttl } = validateBody(ExtendRequestSchema, event.jsonBody);
    return json(200, { session: await extendSession(deps, event.pathParameters?.id ?? "", ttl, requester) });
  });

export const handler = createHandler();
