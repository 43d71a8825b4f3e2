import { assumeRole, cloudFormation, ec2, iam, pricing, scheduler, ssm } from "../lib/aws/client-factories.js";
import type { ClientFactories } from "../lib/aws/clients.js";
import { notifierFor } from "../lib/notify/notifiers.js";
import { lambdaDeps } from "../lib/runtime/deps.js";
import { eventHandler } from "../lib/runtime/event-handler.js";
import { runSlackJob, type SlackJob } from "../lib/slack/jobs.js";

// The worker runs every command: open (EC2, CloudFormation, Scheduler; SSM for the agent and the
// Session Manager preferences, Pricing for the price, IAM for the readiness warnings); status
// shows endpoints, not readiness. It emits session events like the API routes do, and acts in
// member accounts through their target role (STS).
const clients = { ec2, cloudFormation, scheduler, ssm, iam, pricing, assumeRole } satisfies ClientFactories;

/** Finishes a Slack request after its acknowledgement (invoked asynchronously by the Slack routes only). */
export const createHandler = (deps = lambdaDeps(clients, notifierFor)) =>
  eventHandler(deps, (job: SlackJob, deps) => runSlackJob(deps, job));

export const handler = createHandler();
