import { assumeRole, cloudFormation, scheduler } from "../lib/aws/client-factories.js";
import type { ClientFactories } from "../lib/aws/clients.js";
import { notifierFor } from "../lib/notify/notifiers.js";
import { lambdaDeps } from "../lib/runtime/deps.js";
import { eventHandler } from "../lib/runtime/event-handler.js";
import { sweep } from "../lib/sweep/sweep.js";

// The sweeper lists and deletes stacks (CloudFormation, in every allowed account: STS for the
// members') and lists and fixes timers (Scheduler, in the hub).
const clients = { cloudFormation, scheduler, assumeRole } satisfies ClientFactories;

/** Runs every few minutes: deletes whatever expired or failed and re-aligns timers with stacks. */
export const createHandler = (deps = lambdaDeps(clients, notifierFor)) => eventHandler(deps, (_event: unknown, deps) => sweep(deps));

export const handler = createHandler();
