import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { EC2Client } from "@aws-sdk/client-ec2";
import { SSMClient } from "@aws-sdk/client-ssm";
import type { ClientFactories, ClientOptions } from "../lib/aws.js";
import { lambdaDeps } from "../lib/deps.js";
import { httpHandler } from "../lib/handler.js";
import { json, requesterOf } from "../lib/http.js";
import { getSession } from "../lib/lifecycle.js";

// Get reads the stack (CloudFormation), its endpoints' states (EC2) and the instances' pings (SSM).
const clients = {
  ec2: (options: ClientOptions) => new EC2Client(options),
  cloudFormation: (options: ClientOptions) => new CloudFormationClient(options),
  ssm: (options: ClientOptions) => new SSMClient(options),
} satisfies ClientFactories;

/** GET /sessions/{id}: one session, its endpoints' states and its instances' ping status. */
export const createHandler = (deps = lambdaDeps(clients)) =>
  httpHandler(deps, async (event, deps) => {
    requesterOf(event);
    const { instancePings, ...session } = await getSession(deps, event.pathParameters?.id ?? "");
    return json(200, { session: { ...session, instances: instancePings } });
  });

export const handler = createHandler();
