import { assumeRole, cloudFormation } from "../lib/aws/client-factories.js";
import type { ClientFactories } from "../lib/aws/clients.js";
import { notifierFor } from "../lib/notify/notifiers.js";
import { lambdaDeps } from "../lib/runtime/deps.js";
import { eventHandler } from "../lib/runtime/event-handler.js";
import { onStackStatus, parseStackStatusEvent } from "../lib/sessions/stack-status.js";

// Stack status events read the session's stack (CloudFormation, in its account: STS for a
// member's) and hand the event on.
const clients = { cloudFormation, assumeRole } satisfies ClientFactories;

/** CloudFormation "Stack Status Change" events of ssm-knock stacks (EventBridge): session.ready and session.failed. */
export const createHandler = (deps = lambdaDeps(clients, notifierFor)) =>
  eventHandler(deps, async (event: unknown, deps) => {
    const change = parseStackStatusEvent(event);
    return change ? onStackStatus(deps, change) : "ignored";
  });

export const handler = createHandler();
