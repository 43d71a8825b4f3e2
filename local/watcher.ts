import { specFromStack } from "../lib/aws/stacks.js";
import { statusOfStack, toSession } from "../lib/core/session.js";
import type { SessionEventType } from "../lib/core/session-events.js";
import { isoSeconds } from "../lib/core/time.js";
import type { Deps } from "../lib/runtime/deps.js";
import { managedStacks } from "../lib/sessions/read.js";

/**
 * Local mode's stand-in for CloudFormation's stack status events on EventBridge: polls the
 * session stacks and turns status changes into session.ready / session.failed events, and
 * reports stacks that are gone.
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
    for (const region of deps.config.allowedRegions) {
      for (const stack of await managedStacks(deps, region)) {
        const name = stack.StackName as string;
        const status = stack.StackStatus as string;
        current.set(name, status);
        if (this.seen.get(name) === status) continue;
        const type = eventFor(status);
        if (!type) continue;
        const session = toSession(
          { spec: specFromStack(stack, region), stackName: name, stackStatus: status },
          deps.clock(),
          deps.config.endpointHourlyUsd,
        );
        if (type === "session.ready") this.log(`stack complete: ${name} (${status}); endpoints available`);
        await deps.notifier.notify({ type, session, actor: "ssm-knock", reason: stack.StackStatusReason, at: isoSeconds(deps.clock()) });
      }
    }
    for (const name of this.seen.keys()) {
      if (!current.has(name)) this.log(`stack deleted: ${name}`);
    }
    this.seen.clear();
    for (const [name, status] of current) this.seen.set(name, status);
  }
}

function eventFor(status: string): SessionEventType | undefined {
  if (status === "CREATE_COMPLETE") return "session.ready";
  return statusOfStack(status) === "failed" ? "session.failed" : undefined;
}
