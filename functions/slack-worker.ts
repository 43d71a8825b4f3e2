import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { EC2Client } from "@aws-sdk/client-ec2";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { SSMClient } from "@aws-sdk/client-ssm";
import type { ClientFactories, ClientOptions } from "../lib/aws.js";
import { lambdaDeps } from "../lib/deps.js";
import { eventHandler } from "../lib/handler.js";
import { notifierFor } from "../lib/notify/notifiers.js";
import { runSlackJob, type SlackJob } from "../lib/slack/jobs.js";

// The worker runs every command: open (EC2, CloudFormation, Scheduler), status (SSM ping), and
// it emits session events like the API routes do.
const clients = {
  ec2: (options: ClientOptions) => new EC2Client(options),
  cloudFormation: (options: ClientOptions) => new CloudFormationClient(options),
  scheduler: (options: ClientOptions) => new SchedulerClient(options),
  ssm: (options: ClientOptions) => new SSMClient(options),
} satisfies ClientFactories;

/** Finishes a Slack request after its acknowledgement (invoked asynchronously by the Slack routes only). */
export const createHandler = (deps = lambdaDeps(clients, notifierFor)) =>
  eventHandler(deps, (job: SlackJob, deps) => runSlackJob(deps, job));

export const handler = createHandler();
