import type { ClientFactories } from "../lib/aws.js";
import { cloudFormation, ec2, ssm } from "../lib/client-factories.js";
import { lambdaDeps } from "../lib/deps.js";
import { pingStatuses } from "../lib/endpoint-status.js";
import { httpHandler } from "../lib/handler.js";
import { json, requesterOf } from "../lib/http.js";
import { getSession } from "../lib/lifecycle.js";

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
