import { lazyDeps } from "../lib/deps.js";
import { eventHandler } from "../lib/handler.js";
import { onStackStatus, parseStackStatusEvent } from "../lib/notify/stack-status.js";

/** CloudFormation "Stack Status Change" events of ssm-knock stacks (EventBridge): session.ready and session.failed. */
export const createHandler = (deps = lazyDeps()) =>
  eventHandler(deps, async (event: unknown, deps) => {
    const change = parseStackStatusEvent(event);
    return change ? onStackStatus(deps, change) : "ignored";
  });

export const handler = createHandler();
