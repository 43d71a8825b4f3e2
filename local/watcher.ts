import { everyPlace } from "../lib/accounts/registry.js";
import { listSessionStacks } from "../lib/aws/stacks.js";
import type { Deps } from "../lib/runtime/deps.js";
import { onStackStatus } from "../lib/sessions/stack-status.js";
import { runAs } from "./aws-call-log.js";
import { asFunction } from "./invocations.js";
import { deleteEndpointsOfDeletedStacks } from "./stack-deletions.js";

/**
 * Local mode's stand-in for CloudFormation's stack status events on EventBridge: polls the
 * session stacks and hands every status change to the same onStackStatus as the stack-events
 * function in AWS (so both tell the same states), and reports stacks that are gone (deleting
 * their endpoints, which moto keeps and CloudFormation would not).
 */
export class StackWatcher {
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly deps: Deps,
    private readonly log: (line: string) => void,
  ) {}

  async poll(): Promise<void> {
    const { deps } = this;
    const current = new Map<string, string>();
    // Each account's own status events (a member account's forwarded to the hub's bus in AWS).
    for (const { accountId, region } of everyPlace(deps.config)) {
      const clients = deps.clients(region, accountId);
      const stacks = await runAs("cloudformation-events", () => listSessionStacks(clients.cloudFormation, deps.config.stackPrefix));
      await runAs("cloudformation-deletes", () => deleteEndpointsOfDeletedStacks(clients.ec2, stacks));
      for (const stack of stacks) {
        const stackName = stack.StackName as string;
        const status = stack.StackStatus as string;
        current.set(stackName, status);
        if (this.seen.get(stackName) === status) continue;
        // A poll can miss a state EventBridge would have delivered: a stack first seen after an
        // update (created and joined between two polls) did complete its creation.
        if (!this.seen.has(stackName) && /^UPDATE_(IN_PROGRESS|COMPLETE_CLEANUP_IN_PROGRESS|COMPLETE)$/.test(status)) {
          await asFunction("stackEvents", () => onStackStatus(deps, { accountId, region, stackName, status: "CREATE_COMPLETE" }));
        }
        // What the stack-events function does with the event in AWS.
        const change = { accountId, region, stackName, status, reason: stack.StackStatusReason };
        const outcome = await asFunction("stackEvents", () => onStackStatus(deps, change));
        if (outcome === "ready") this.log(`stack complete: ${stackName} (${status}); endpoints available`);
      }
    }
    for (const stackName of this.seen.keys()) {
      if (!current.has(stackName)) this.log(`stack deleted: ${stackName}`);
    }
    this.seen.clear();
    for (const [stackName, status] of current) this.seen.set(stackName, status);
  }
}
