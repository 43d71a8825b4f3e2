import { json, requesterOf } from "../lib/api/http.js";
import { httpHandler } from "../lib/api/http-handler.js";
import { cloudFormation } from "../lib/aws/client-factories.js";
import type { ClientFactories } from "../lib/aws/clients.js";
import { lambdaDeps } from "../lib/runtime/deps.js";
import { listSessions } from "../lib/sessions/read.js";

// List reads the stacks of every enabled region (CloudFormation) and nothing else.
const clients = { cloudFormation } satisfies ClientFactories;

/** GET /sessions: every ssm-knock session in the enabled regions, newest first. */
export const createHandler = (deps = lambdaDeps(clients)) =>
  httpHandler(deps, async (event, deps) => {
    requesterOf(event);
    return json(200, { sessions: await listSessions(deps) });
  });

export const handler = createHandler();
