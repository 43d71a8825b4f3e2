import type { ClientFactories } from "../lib/aws.js";
import { cloudFormation, scheduler } from "../lib/client-factories.js";
import { lambdaDeps } from "../lib/deps.js";
import { httpHandler } from "../lib/handler.js";
import { json, requesterOf } from "../lib/http.js";
import { closeSession } from "../lib/lifecycle.js";
import { notifierFor } from "../lib/notify/notifiers.js";

// Close deletes the stack (CloudFormation) and its timers (Scheduler).
const clients = { cloudFormation, scheduler } satisfies ClientFactories;

/** DELETE /sessions/{id}: close now; the stack is deleted and its timers removed. */
export const createHandler = (deps = lambdaDeps(clients, notifierFor)) =>
  httpHandler(deps, async (event, deps) => {
    const requester = requesterOf(event);
    return json(202, { session: await closeSession(deps, event.pathParameters?.id ?? "", requester) });
  });

export const handler = createHandler();
