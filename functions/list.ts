import { json, requesterOf } from "../lib/api/http.js";
import { httpHandler } from "../lib/api/http-handler.js";
import { assumeRole, cloudFormation } from "../lib/aws/client-factories.js";
import type { ClientFactories } from "../lib/aws/clients.js";
import { lambdaDeps } from "../lib/runtime/deps.js";
import { listSessions } from "../lib/sessions/read.js";

// List reads the stacks of every allowed account and region (CloudFormation, in member accounts
// through their target role) and nothing else.
const clients = { cloudFormation, assumeRole } satisfies ClientFactories;

/** GET /sessions: every ssm-knock session in the allowed accounts and regions, newest first; `unavailable` names those that could not be read. */
export const createHandler = (deps = lambdaDeps(clients)) =>
  httpHandler(deps, async (event, deps) => {
    requesterOf(event);
    const { sessions, unavailable } = await listSessions(deps);
    return json(200, { sessions, ...(unavailable.length ? { unavailable } : {}) });
  });

export const handler = createHandler();
