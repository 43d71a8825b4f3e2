import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import type { ClientFactories, ClientOptions } from "../lib/aws.js";
import { lambdaDeps } from "../lib/deps.js";
import { eventHandler } from "../lib/handler.js";
import { notifierFor } from "../lib/notify/notifiers.js";
import { sweep } from "../lib/sweep.js";

// The sweeper lists and deletes stacks (CloudFormation) and lists and fixes timers (Scheduler).
const clients = {
  cloudFormation: (options: ClientOptions) => new CloudFormationClient(options),
  scheduler: (options: ClientOptions) => new SchedulerClient(options),
} satisfies ClientFactories;

/** Runs every few minutes: deletes whatever expired or failed and re-aligns timers with stacks. */
export const createHandler = (deps = lambdaDeps(clients, notifierFor)) => eventHandler(deps, (_event: unknown, deps) => sweep(deps));

export const handler = createHandler();
