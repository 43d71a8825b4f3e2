import { json, requesterOf } from "../lib/api/http.js";
import { httpHandler } from "../lib/api/http-handler.js";
import { assumeRole, cloudFormation, ec2, iam, pricing, scheduler, ssm } from "../lib/aws/client-factories.js";
import type { ClientFactories } from "../lib/aws/clients.js";
import { OpenRequestSchema, validateBody } from "../lib/core/requests.js";
import { notifierFor } from "../lib/notify/notifiers.js";
import { openWithReadiness } from "../lib/readiness/open.js";
import { lambdaDeps } from "../lib/runtime/deps.js";

// Open needs EC2 (preflight), CloudFormation (the stack) and Scheduler (the timer); SSM for the
// instance's agent and the Session Manager preferences (which endpoints), Pricing for the price,
// and IAM for the readiness warnings; in a member account all but the timer and the price act
// through its target role (STS).
const clients = { ec2, cloudFormation, scheduler, ssm, iam, pricing, assumeRole } satisfies ClientFactories;

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
      case "already_reachable": {
        const { via, vpcId, accountId, region, endpoints, route } = result;
        return json(200, { alreadyReachable: true, via, vpcId, accountId, region, endpoints, ...(route ?? {}) });
      }
    }
  });

export const handler = createHandler();
