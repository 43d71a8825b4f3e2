import pLimit from "p-limit";
import { acrossPlaces, describeFailure } from "../accounts/across.js";
import { everyPlace } from "../accounts/registry.js";
import { deleteSessionTimers, deleteTimer, listTimerNames, sessionOfScheduleName, upsertTimer } from "../aws/schedules.js";
import { listSessionStacks, stackResources } from "../aws/stacks.js";
import type { StackPlace } from "../core/session.js";
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
  /** Accounts whose stacks were listed in every region, and those that could not be (logged; the next run tries again). */
  accountsSwept: number;
  accountsFailed: number;
}

/** Every timer of this deployment in its group, by session, account and kind. */
async function listTimers(deps: Deps): Promise<SweepInput["timers"]> {
  const { config } = deps;
  const names = await listTimerNames(deps.clients(config.region).scheduler, config.scheduleGroup);
  return names.flatMap((name) => {
    const parsed = sessionOfScheduleName(config.stackPrefix, name);
    return parsed ? [{ sessionId: parsed.sessionId, accountId: parsed.memberAccountId ?? config.accounts.hub, kind: parsed.kind }] : [];
  });
}

/**
 * The allowed accounts and regions, and the accounts that left ALLOWED_ACCOUNT_IDS while they still
 * had sessions (their timers name them): those sessions must still end, so the sweeper follows
 * the timers there until none is left.
 */
function placesToSweep(deps: Deps, timers: SweepInput["timers"]): StackPlace[] {
  const { config } = deps;
  const draining = [...new Set(timers.map((t) => t.accountId))].filter((id) => !config.accounts.allowed.includes(id));
  if (draining.length) deps.logger.warn("sweeping accounts no longer allowed until their sessions have ended", { accounts: draining });
  return [...everyPlace(config), ...draining.flatMap((accountId) => config.allowedRegions.map((region) => ({ accountId, region })))];
}

/** Every session stack in those places, with its recorded expiry; the places that could not be listed. */
async function listStacks(deps: Deps, places: StackPlace[]) {
  const { done, failed } = await acrossPlaces(places, deps.config.sweepConcurrency, async (place) =>
    (await listSessionStacks(deps.clients(place.region, place.accountId).cloudFormation, deps.config.stackPrefix)).map((stack) => {
      const spec = specFromStack(stack, place);
      return { stack, place, sessionId: spec.vpcId, expiresAt: spec.expiresAt };
    }),
  );
  for (const failure of failed) {
    deps.logger.error("sweep: stacks not listed; this account and region are swept next run", {
      ...describeFailure(failure),
      error: failure.error as Error,
    });
  }
  return { stacks: done.flatMap((entry) => entry.value), failed };
}

/**
 * The periodic janitor: deletes whatever expired or failed, retries stuck deletes, and keeps
 * timers and stacks in step, in every allowed account and region (a bounded number at once). An
 * account that cannot be listed (its role missing, AccessDenied, throttling) is logged and
 * counted, its timers are left alone, and the others are swept. Timers are listed before stacks,
 * so a session opened during the run (stack first, then timer) is never mistaken for an orphan timer.
 */
export async function sweep(deps: Deps): Promise<SweepSummary> {
  const timers = await listTimers(deps);
  const places = placesToSweep(deps, timers);
  const { stacks, failed } = await listStacks(deps, places);
  const unlisted = new Set(failed.map((f) => f.place.accountId));
  const now = deps.clock();
  const actions = planSweep({ now, stacks, timers, unlisted });
  const summary: SweepSummary = {
    stacksSeen: stacks.length,
    expiredDeleted: 0,
    failedDeleted: 0,
    deleteRetried: 0,
    schedulesRemoved: 0,
    schedulesRecreated: 0,
    errors: 0,
    accountsSwept: new Set(places.map((p) => p.accountId)).size - unlisted.size,
    accountsFailed: unlisted.size,
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
    if (await deleteTimer(scheduler, config, action.timer, action.sessionId, action.accountId)) summary.schedulesRemoved += 1;
    return;
  }
  const { stack, place } = action;
  const stackName = stack.StackName as string;
  const spec = specFromStack(stack, place);
  if (action.kind === "recreate_timer") {
    await upsertTimer(scheduler, config, expiryTimerOf(spec, stackName), action.expiresAt);
    summary.schedulesRecreated += 1;
    return;
  }
  const retainResources =
    action.kind === "retry_delete"
      ? retainableOnRetry(await stackResources(deps.clients(place.region, place.accountId).cloudFormation, stackName))
      : [];
  if (retainResources.length) deps.logger.warn("retaining resources that will not delete", { stackName, ...place, retainResources });
  await deleteSessionStack(deps, place, stackName, retainResources);
  await deleteSessionTimers(scheduler, config, spec.vpcId, place.accountId);
  if (action.kind === "retry_delete") summary.deleteRetried += 1;
  else if (action.kind === "delete_failed") summary.failedDeleted += 1;
  else summary.expiredDeleted += 1;
  const session = sessionOfStack(deps, stack, place, { stackStatus: "DELETE_IN_PROGRESS" });
  const reason = action.kind === "delete_expired" ? "swept" : "failed";
  const bill = billOfStack(deps, stack, place, now);
  deps.logger.info("sweep: session closed", { stackName, ...place, reason, bill });
  await deps.notifier.notify({ type: "session.closed", session, actor: "ssm-knock", reason, at: isoSeconds(now), bill });
}
