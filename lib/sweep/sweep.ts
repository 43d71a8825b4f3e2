import { DescribeStackResourcesCommand, type Stack } from "@aws-sdk/client-cloudformation";
import pLimit from "p-limit";
import { deleteSessionTimers, deleteTimer, listTimerNames, sessionOfScheduleName, upsertTimer } from "../aws/schedules.js";
import { deleteSessionStack, specFromStack } from "../aws/stacks.js";
import { toSession } from "../core/session.js";
import { isoSeconds } from "../core/time.js";
import type { Deps } from "../runtime/deps.js";
import { managedStacks } from "../sessions/read.js";
import { planSweep, type SweepAction } from "./plan.js";

export interface SweepSummary {
  stacksSeen: number;
  expiredDeleted: number;
  failedDeleted: number;
  deleteRetried: number;
  schedulesRemoved: number;
  schedulesRecreated: number;
  errors: number;
}

/** Resources that cost nothing while they wait: the only ones a stuck delete may leave behind. */
const FREE_TO_RETAIN = new Set(["AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress"]);

/**
 * What a DELETE_FAILED stack may retain on the retry. Never a billed endpoint: while any endpoint
 * is still there, retry plainly (usually the group was only waiting for endpoint interfaces to
 * go). Once every endpoint is gone, a group that still fails to delete is held by something
 * outside the stack; retaining it (free, tagged, logged) lets the stack finish deleting.
 */
async function retainableResources(deps: Deps, stack: Stack, region: string): Promise<string[]> {
  const { StackResources } = await deps
    .clients(region)
    .cloudFormation.send(new DescribeStackResourcesCommand({ StackName: stack.StackName }));
  const resources = StackResources ?? [];
  const endpointsLeft = resources.some((r) => r.ResourceType === "AWS::EC2::VPCEndpoint" && r.ResourceStatus !== "DELETE_COMPLETE");
  if (endpointsLeft) return [];
  return resources
    .filter((r) => r.ResourceStatus === "DELETE_FAILED" && FREE_TO_RETAIN.has(r.ResourceType ?? ""))
    .map((r) => r.LogicalResourceId as string);
}

/**
 * The periodic janitor: deletes whatever expired or failed, retries stuck deletes, and keeps
 * timers and stacks in step. Timers are listed before stacks, so a session opened during the
 * run (stack first, then timer) is never mistaken for an orphan timer.
 */
export async function sweep(deps: Deps): Promise<SweepSummary> {
  const { config, logger } = deps;
  const scheduler = deps.clients(config.region).scheduler;
  const timers = (await listTimerNames(scheduler, config.scheduleGroup)).flatMap((name) => {
    const parsed = sessionOfScheduleName(config.stackPrefix, name);
    return parsed ? [{ sessionId: parsed.sessionId, kind: parsed.kind }] : [];
  });
  const stacks = (
    await Promise.all(
      config.allowedRegions.map(async (region) =>
        (
          await managedStacks(deps, region)
        ).map((stack) => {
          const spec = specFromStack(stack, region);
          return { stack, region, sessionId: spec.vpcId, expiresAt: spec.expiresAt };
        }),
      ),
    )
  ).flat();
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
  const limit = pLimit(config.sweepConcurrency);
  await Promise.all(
    actions.map((action) =>
      limit(async () => {
        try {
          await perform(deps, action, now, summary);
        } catch (error) {
          summary.errors += 1;
          logger.error("sweep action failed; the next run tries again", { action: action.kind, error: error as Error });
        }
      }),
    ),
  );
  logger.info("sweep finished", { ...summary });
  return summary;
}

async function perform(deps: Deps, action: SweepAction, now: Date, summary: SweepSummary): Promise<void> {
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
    await upsertTimer(scheduler, config, { action: "expire", sessionId: spec.vpcId, region, stackName }, action.expiresAt);
    summary.schedulesRecreated += 1;
    return;
  }
  const retainResources = action.kind === "retry_delete" ? await retainableResources(deps, stack, region) : [];
  if (retainResources.length) deps.logger.warn("retaining resources that will not delete", { stackName, retainResources });
  await deleteSessionStack(deps.clients(region).cloudFormation, { stackName, roleArn: config.cloudFormationRoleArn, retainResources });
  await deleteSessionTimers(scheduler, config, spec.vpcId);
  if (action.kind === "retry_delete") summary.deleteRetried += 1;
  else if (action.kind === "delete_failed") summary.failedDeleted += 1;
  else summary.expiredDeleted += 1;
  const session = toSession({ spec, stackName, stackStatus: "DELETE_IN_PROGRESS" }, now, config.endpointHourlyUsd);
  const reason = action.kind === "delete_expired" ? "swept" : "failed";
  await deps.notifier.notify({ type: "session.closed", session, actor: "ssm-knock", reason, at: isoSeconds(now) });
}
