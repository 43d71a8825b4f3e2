import pLimit from "p-limit";
import { deleteSessionTimers, deleteTimer, listTimerNames, sessionOfScheduleName, upsertTimer } from "../aws/schedules.js";
import { listSessionStacks, stackResources } from "../aws/stacks.js";
import { isoSeconds } from "../core/time.js";
import type { Deps } from "../runtime/deps.js";
import { billOfStack } from "../sessions/bill.js";
import { deleteSessionStack, expiryTimerOf } from "../sessions/record.js";
import { sessionOfStack } from "../sessions/shape.js";
import { specFromStack } from "../sessions/stack-record.js";
import { planSweep, retainableOnRetry, type SweepAction, type SweepInput } from "./plan.js";

export interface SweepSummary {
  stacksSeen: number;
  expiredDeleted: number;
  failedDeleted: number;
  deleteRetried: number;
  schedulesRemoved: number;
  schedulesRecreated: number;
  errors: number;
}

/** Every timer of this deployment in its group, by session and kind. */
async function listTimers(deps: Deps): Promise<SweepInput["timers"]> {
  const { config } = deps;
  const names = await listTimerNames(deps.clients(config.region).scheduler, config.scheduleGroup);
  return names.flatMap((name) => {
    const parsed = sessionOfScheduleName(config.stackPrefix, name);
    return parsed ? [{ sessionId: parsed.sessionId, kind: parsed.kind }] : [];
  });
}

/** Every session stack in every allowed region, with its recorded expiry. */
async function listStacks(deps: Deps): Promise<SweepInput["stacks"]> {
  const perRegion = await Promise.all(
    deps.config.allowedRegions.map(async (region) =>
      (await listSessionStacks(deps.clients(region).cloudFormation, deps.config.stackPrefix)).map((stack) => {
        const spec = specFromStack(stack, region);
        return { stack, region, sessionId: spec.vpcId, expiresAt: spec.expiresAt };
      }),
    ),
  );
  return perRegion.flat();
}

/**
 * The periodic janitor: deletes whatever expired or failed, retries stuck deletes, and keeps
 * timers and stacks in step. Timers are listed before stacks, so a session opened during the
 * run (stack first, then timer) is never mistaken for an orphan timer.
 */
export async function sweep(deps: Deps): Promise<SweepSummary> {
  const timers = await listTimers(deps);
  const stacks = await listStacks(deps);
  const now = deps.clock();
  const actions = planSweep({ now, stacks, timers });
  const summary: SweepSummary = {
    stacksSeen: stacks.length,
    expiredDeleted: 0,
    failedDeleted: 0,
    deleteRetried: 0,
    schedulesRemoved: 0,
    schedulesRecreated: 0,
    errors: 0,
  };
  const limit = pLimit(deps.config.sweepConcurrency);
  await Promise.all(
    actions.map((action) =>
      limit(async () => {
        try {
          await carryOut(deps, action, now, summary);
        } catch (error) {
          summary.errors += 1;
          deps.logger.error("sweep action failed; the next run tries again", { action: action.kind, error: error as Error });
        }
      }),
    ),
  );
  deps.logger.info("sweep finished", { ...summary });
  return summary;
}

async function carryOut(deps: Deps, action: SweepAction, now: Date, summary: SweepSummary): Promise<void> {
  const { config } = deps;
  const scheduler = deps.clients(config.region).scheduler;
  if (action.kind === "remove_timer") {
    if (await deleteTimer(scheduler, config, action.timer, action.sessionId)) summary.schedulesRemoved += 1;
    return;
  }
  const { stack, region } = action;
  const stackName = stack.StackName as string;
  const spec = specFromStack(stack, region);
  if (action.kind === "recreate_timer") {
    await upsertTimer(scheduler, config, expiryTimerOf(spec, stackName), action.expiresAt);
    summary.schedulesRecreated += 1;
    return;
  }
  const retainResources =
    action.kind === "retry_delete" ? retainableOnRetry(await stackResources(deps.clients(region).cloudFormation, stackName)) : [];
  if (retainResources.length) deps.logger.warn("retaining resources that will not delete", { stackName, retainResources });
  await deleteSessionStack(deps, region, stackName, retainResources);
  await deleteSessionTimers(scheduler, config, spec.vpcId);
  if (action.kind === "retry_delete") summary.deleteRetried += 1;
  else if (action.kind === "delete_failed") summary.failedDeleted += 1;
  else summary.expiredDeleted += 1;
  const session = sessionOfStack(deps, stack, region, { stackStatus: "DELETE_IN_PROGRESS" });
  const reason = action.kind === "delete_expired" ? "swept" : "failed";
  const bill = billOfStack(deps, stack, region, now);
  deps.logger.info("sweep: session closed", { stackName, reason, bill });
  await deps.notifier.notify({ type: "session.closed", session, actor: "ssm-knock", reason, at: isoSeconds(now), bill });
}
