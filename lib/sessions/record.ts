import type { Stack } from "@aws-sdk/client-cloudformation";
import { isAwsError } from "../aws/errors.js";
import { deleteTimer, upsertTimer } from "../aws/schedules.js";
import { createStack, deleteStack, findStack, isManagedStack, type StackInput, stackNameFor, updateStack } from "../aws/stacks.js";
import { ConflictError, NotFoundError, UpstreamError } from "../core/errors.js";
import { VPC_ID } from "../core/ids.js";
import type { SessionSpec } from "../core/session.js";
import { isoSeconds } from "../core/time.js";
import type { TimerInput } from "../core/timers.js";
import type { Deps } from "../runtime/deps.js";
import { specFromStack, stackParameters, stackTags } from "./stack-record.js";

/**
 * A session is a stack and its expiry timer, kept in step: this module creates, changes and finds
 * the pair, undoing one side when the other fails.
 */

export interface LocatedSession {
  stack: Stack;
  region: string;
  stackName: string;
}

/** Finds a session's stack in any enabled region (VPC ids are unique across regions). */
export async function locateSession(deps: Deps, id: string): Promise<LocatedSession> {
  if (!VPC_ID.test(id)) {
    throw new NotFoundError(`No session "${id.slice(0, 64)}": a session id is the VPC id, such as vpc-0123456789abcdef0.`, "id");
  }
  const stackName = stackNameFor(deps.config.stackPrefix, id);
  const found = await Promise.all(
    deps.config.allowedRegions.map(async (region) => ({ region, stack: await findStack(deps.clients(region).cloudFormation, stackName) })),
  );
  const hit = found.find((entry) => entry.stack && isManagedStack(entry.stack));
  if (!hit?.stack) throw new NotFoundError(`There is no session for ${id}.`, "id");
  return { stack: hit.stack, region: hit.region, stackName };
}

const stackInput = (deps: Deps, spec: SessionSpec, stackName: string): StackInput => ({
  stackName,
  parameters: stackParameters(spec),
  tags: stackTags(spec),
  roleArn: deps.config.cloudFormationRoleArn,
});

export const expiryTimerOf = (spec: SessionSpec, stackName: string): TimerInput => ({
  action: "expire",
  sessionId: spec.vpcId,
  region: spec.region,
  stackName,
});

/**
 * Creates the stack and its expiry timer at the same time (one round trip, not two), each undone
 * when the other fails: a stack must never exist without an enforced expiry. If an undo fails
 * too, the stack's expires-at record is what the sweeper enforces, and a timer without a stack
 * only finds nothing to delete.
 */
export async function createStackWithExpiry(deps: Deps, spec: SessionSpec, stackName: string): Promise<void> {
  const { config } = deps;
  const cloudFormation = deps.clients(spec.region).cloudFormation;
  const scheduler = deps.clients(config.region).scheduler;
  const timer = expiryTimerOf(spec, stackName);
  const [stack, schedule] = await Promise.allSettled([
    createStack(cloudFormation, stackInput(deps, spec, stackName)),
    upsertTimer(scheduler, config, timer, spec.expiresAt),
  ]);
  if (stack.status === "fulfilled" && schedule.status === "fulfilled") return;
  if (stack.status === "rejected") return undoTimerOf(deps, spec, stackName, stack.reason, schedule.status === "fulfilled");
  await undoStack(deps, spec, stackName, (schedule as PromiseRejectedResult).reason);
}

/** The stack was refused: the timer we made may have replaced the one of a stack that exists. */
async function undoTimerOf(deps: Deps, spec: SessionSpec, stackName: string, reason: unknown, timerMade: boolean): Promise<never> {
  const { config, logger } = deps;
  const scheduler = deps.clients(config.region).scheduler;
  const raced = isAwsError(reason, "AlreadyExistsException");
  if (timerMade) {
    // The timer is the session's by name. If another request created the stack a moment ago,
    // the timer now says our expiry: put back the one that stack records, or drop ours.
    const existing = raced ? await findStack(deps.clients(spec.region).cloudFormation, stackName).catch(() => undefined) : undefined;
    const timer = expiryTimerOf(spec, stackName);
    const undo = existing
      ? upsertTimer(scheduler, config, timer, specFromStack(existing, spec.region).expiresAt, config.expireFunctionArn, "existing")
      : deleteTimer(scheduler, config, "expire", spec.vpcId);
    await undo.catch((error) => logger.warn("timer not restored; the sweeper re-aligns it", { stackName, error: error as Error }));
  }
  if (raced) {
    throw new ConflictError(
      `A session for ${spec.vpcId} was opened at the same moment; send the request again to join it.`,
      "conflict",
      undefined,
      {
        cause: reason,
      },
    );
  }
  throw reason;
}

/** The timer was refused: delete the new stack again, so nothing exists without an expiry. */
async function undoStack(deps: Deps, spec: SessionSpec, stackName: string, reason: unknown): Promise<never> {
  const { config, logger } = deps;
  logger.error("expiry schedule could not be created; deleting the new stack", { stackName, error: reason });
  try {
    await deleteStack(deps.clients(spec.region).cloudFormation, { stackName, roleArn: config.cloudFormationRoleArn });
  } catch (undoError) {
    logger.error("stack could not be deleted either; the sweeper deletes it at its expiry", {
      stackName,
      expiresAt: isoSeconds(spec.expiresAt),
      error: undoError as Error,
    });
  }
  throw new UpstreamError("schedule_failed", "The expiry schedule could not be created, so no access was opened; try again.", undefined, {
    cause: reason,
  });
}

/**
 * Writes a changed spec to the stack and moves the timer to its expiry, both at once (one round
 * trip). If the stack refuses the change, the timer goes back to the expiry the stack still
 * records, so the two never disagree for longer than that.
 */
export async function applySpec(deps: Deps, spec: SessionSpec, stackName: string, previousExpiresAt: Date): Promise<void> {
  const { config, logger } = deps;
  const scheduler = deps.clients(config.region).scheduler;
  const moveTimer = (at: Date) => upsertTimer(scheduler, config, expiryTimerOf(spec, stackName), at, config.expireFunctionArn, "existing");
  const [stack, schedule] = await Promise.allSettled([
    updateStack(deps.clients(spec.region).cloudFormation, stackInput(deps, spec, stackName)),
    moveTimer(spec.expiresAt),
  ]);
  if (stack.status === "rejected" && !/No updates are to be performed/i.test((stack.reason as Error).message ?? "")) {
    if (schedule.status === "fulfilled" && spec.expiresAt.getTime() !== previousExpiresAt.getTime()) {
      await moveTimer(previousExpiresAt).catch((error) =>
        logger.warn("timer not moved back; the expire function re-reads the stack", { stackName, error: error as Error }),
      );
    }
    if (/in progress|IN_PROGRESS state/i.test((stack.reason as Error).message ?? "")) {
      throw new ConflictError("The session's stack is being changed right now; try again in a minute.", "session_busy", undefined, {
        cause: stack.reason,
      });
    }
    throw stack.reason;
  }
  if (schedule.status === "rejected") {
    // The stack holds the new expiry, which is what the sweeper enforces; a stale timer that
    // fires early finds the session unexpired and deletes nothing.
    logger.warn("expiry schedule not moved; the sweeper re-creates it", { stackName, error: schedule.reason as Error });
  }
}

/** Deletes a session's stack with the endpoint-stack role (CloudFormation acts as that role). */
export const deleteSessionStack = (deps: Deps, region: string, stackName: string, retainResources?: string[]) =>
  deleteStack(deps.clients(region).cloudFormation, { stackName, roleArn: deps.config.cloudFormationRoleArn, retainResources });
