import { json, requesterOf } from "../lib/api/http.js";
import { httpHandler } from "../lib/api/http-handler.js";
import { assumeRole, cloudFormation, ec2, iam, scheduler, ssm } from "../lib/aws/client-factories.js";
import type { ClientFactories } from "../lib/aws/clients.js";
import { readShownReadiness } from "../lib/readiness/read.js";
import { lambdaDeps } from "../lib/runtime/deps.js";
import { getSession } from "../lib/sessions/read.js";

// Get reads the stack (CloudFormation), its endpoints and the instances' path (EC2), their agents
// (SSM), their roles (IAM) and the reboots the watch recorded (Scheduler); all but the last in the
// session's account (a member account's through its target role: STS).
const clients = { ec2, cloudFormation, ssm, iam, scheduler, assumeRole } satisfies ClientFactories;

/** GET /sessions/{id}: one session, its endpoints' states and each instance's readiness and diagnosis. */
export const createHandler = (deps = lambdaDeps(clients)) =>
  httpHandler(deps, async (event, deps) => {
    requesterOf(event);
    return json(200, { session: await getSession(deps, event.pathParameters?.id ?? "", readShownReadiness) });
  });

export const handler = createHandler();
