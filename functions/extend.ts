import type { ClientFactories } from "../lib/aws.js";
import { cloudFormation, scheduler } from "../lib/client-factories.js";
import { lambdaDeps } from "../lib/deps.js";
import { httpHandler } from "../lib/handler.js";
import { json, requesterOf } from "../lib/http.js";
import { extendSession } from "../lib/lifecycle.js";
import { notifierFor } from "../lib/notify/notifiers.js";
import { ExtendRequestSchema, validateBody } from "../lib/requests.js";

// Extend updates the stack (CloudFormation) and moves the timer (Scheduler).
const clients = { cloudFormation, scheduler } satisfies ClientFactories;

/** POST /sessions/{id}/extend {"ttl": "1h"}: expiry becomes now + ttl, never earlier than it was. */
export const createHandler = (deps = lambdaDeps(clients, notifierFor)) =>
  httpHandler(deps, async (event, deps) => {
    const requester = requesterOf(event);
    const { ttl } = validateBody(ExtendRequestSchema, event.jsonBody);
    return json(200, { session: await extendSession(deps, event.pathParameters?.id ?? "", ttl, requester) });
  });

export const handler = createHandler();
