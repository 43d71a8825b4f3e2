import { json, requesterOf } from "../lib/api/http.js";
import { httpHandler } from "../lib/api/http-handler.js";
import { cloudFormation, ec2, ssm } from "../lib/aws/client-factories.js";
import type { ClientFactories } from "../lib/aws/clients.js";
import { pingStatuses } from "../lib/aws/ssm.js";
import { lambdaDeps } from "../lib/runtime/deps.js";
import { getSession } from "../lib/sessions/read.js";

// Get reads the stack (CloudFormation), its endpoints' states (EC2) and the instances' pings (SSM).
const clients = { ec2, cloudFormation, ssm } satisfies ClientFactories;

/** GET /sessions/{id}: one session, its endpoints' states and its instances' ping status. */
export const createHandler = (deps = lambdaDeps(clients)) =>
  httpHandler(deps, async (event, deps) => {
    requesterOf(event);
    const { instancePings, ...session } = await getSession(deps, event.pathParameters?.id ?? "", pingStatuses);
    return json(200, { session: { ...session, instances: instancePings } });
  });

export const handler = createHandler();
