import type { ClientFactories } from "../lib/aws.js";
import { cloudFormation } from "../lib/client-factories.js";
import { lambdaDeps } from "../lib/deps.js";
import { httpHandler } from "../lib/handler.js";
import { json, requesterOf } from "../lib/http.js";
import { listSessions } from "../lib/lifecycle.js";

// List reads the stacks of every enabled region (CloudFormation) and nothing else.
const clients = { cloudFormation } satisfies ClientFactories;

/** GET /sessions: every ssm-knock session in the enabled regions, newest first. */
export const createHandler = (deps = lambdaDeps(clients)) =>
  httpHandler(deps, async (event, deps) => {
    requesterOf(event);
    return json(200, { sessions: await listSessions(deps) });
  });

export const handler = createHandler();
