import { json, requesterOf } from "../lib/api/http.js";
import { httpHandler } from "../lib/api/http-handler.js";
import { assumeRole, cloudFormation, scheduler } from "../lib/aws/client-factories.js";
import type { ClientFactories } from "../lib/aws/clients.js";
import { notifierFor } from "../lib/notify/notifiers.js";
import { lambdaDeps } from "../lib/runtime/deps.js";
import { closeSession } from "../lib/sessions/close.js";

// Close deletes the stack (CloudFormation, in a member account through its target role: STS) and
// its timers (Scheduler, in the hub).
const clients = { cloudFormation, scheduler, assumeRole } satisfies ClientFactories;

/** DELETE /sessions/{id}: close now; the stack is deleted, its timers removed, and the bill told. */
export const createHandler = (deps = lambdaDeps(clients, notifierFor)) =>
  httpHandler(deps, async (event, deps) => {
    const requester = requesterOf(event);
    const { session, bill } = await closeSession(deps, event.pathParameters?.id ?? "", requester);
    return json(202, { session, bill });
  });

export const handler = createHandler();
