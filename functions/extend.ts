import { json, requesterOf } from "../lib/api/http.js";
import { httpHandler } from "../lib/api/http-handler.js";
import { assumeRole, cloudFormation, scheduler } from "../lib/aws/client-factories.js";
import type { ClientFactories } from "../lib/aws/clients.js";
import { ExtendRequestSchema, validateBody } from "../lib/core/requests.js";
import { notifierFor } from "../lib/notify/notifiers.js";
import { lambdaDeps } from "../lib/runtime/deps.js";
import { extendSession } from "../lib/sessions/extend.js";

// Extend updates the stack (CloudFormation, in a member account through its target role: STS)
// and moves the timer (Scheduler, in the hub).
const clients = { cloudFormation, scheduler, assumeRole } satisfies ClientFactories;

/** POST /sessions/{id}/extend {"ttl": "1h"}: expiry becomes now + ttl, never earlier than it was. */
export const createHandler = (deps = lambdaDeps(clients, notifierFor)) =>
  httpHandler(deps, async (event, deps) => {
    const requester = requesterOf(event);
    const { ttl } = validateBody(ExtendRequestSchema, event.jsonBody);
    return json(200, { session: await extendSession(deps, event.pathParameters?.id ?? "", ttl, requester) });
  });

export const handler = createHandler();
