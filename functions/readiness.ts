import { assumeRole, cloudFormation, ec2, iam, scheduler, ssm } from "../lib/aws/client-factories.js";
import type { ClientFactories } from "../lib/aws/clients.js";
import { parseTimerInput } from "../lib/core/timers.js";
import { notifierFor } from "../lib/notify/notifiers.js";
import { checkReadiness } from "../lib/readiness/watch.js";
import { lambdaDeps } from "../lib/runtime/deps.js";
import { eventHandler } from "../lib/runtime/event-handler.js";

// A check reads the stack (CloudFormation), each instance's path and agent (EC2, SSM, IAM), may
// reboot an instance (EC2, opt-in) and arms the next check (Scheduler); all but the timer in the
// session's account (a member account's through its target role: STS).
const clients = { ec2, cloudFormation, scheduler, ssm, iam, assumeRole } satisfies ClientFactories;

/** Target of the one-time watch schedules: checks the session's instances until they are connectable. */
export const createHandler = (deps = lambdaDeps(clients, notifierFor)) =>
  eventHandler(deps, (event: unknown, deps) => checkReadiness(deps, parseTimerInput(event)));

export const handler = createHandler();
