import { json, requesterOf } from "../lib/api/http.js";
import { httpHandler } from "../lib/api/http-handler.js";
import { assumeRole, cloudFormation, ec2, iam, scheduler, ssm } from "../lib/aws/client-factories.js";
import type { ClientFactories } from "../lib/aws/clients.js";
import { OpenRequestSchema, validateBody } from "../lib/core/requests.js";
import { notifierFor } from "../lib/notify/notifiers.js";
import { openWithReadiness } from "../lib/readiness/open.js";
import { lambdaDeps } from "../lib/runtime/deps.js";

// Open needs EC2 (preflight), CloudFormation (the stack) and Scheduler (the timer), and reads the
// instance's agent (SSM) and role (IAM) for its warnings; in a member account all but the timer
// act through its target role (STS).
const clients = { ec2, cloudFormation, scheduler, ssm, iam, assumeRole } satisfies ClientFactories;

/** POST /sessions: open Session Manager access to an instance's or a VPC's network. */
export const createHandler = (deps = lambdaDeps(clients, notifierFor)) =>
  httpHandler(deps, async (event, deps) => {
    const requester = requesterOf(event);
    const request = validateBody(OpenRequestSchema, event.jsonBody);
    const result = await openWithReadiness(deps, request, requester);
    switch (result.outcome) {
      case "created":
      case "joined": {
        const warnings = result.warnings.length ? { warnings: result.warnings } : {};
        return json(result.outcome === "created" ? 202 : 200, { session: result.session, ...warnings });
      }
      case "already_reachable":
        return json(200, {
          alreadyReachable: true,
          vpcId: result.vpcId,
          accountId: result.accountId,
          region: result.region,
          endpoints: result.endpoints,
        });
    }
  });

export const handler = createHandler();
