import type { Stack } from "@aws-sdk/client-cloudformation";
import { acrossPlaces, PLACES_AT_ONCE } from "../accounts/across.js";
import { everyPlace, stackRoleFor } from "../accounts/registry.js";
import { isAwsError } from "../aws/errors.js";
import { deleteTimer, upsertTimer } from "../aws/schedules.js";
import { createStack, deleteStack, findStack, isManagedStack, type StackInput, stackNameFor, updateStack } from "../aws/stacks.js";
import { ConflictError, NotFoundError, UpstreamError } from "../core/errors.js";
import { VPC_ID } from "../core/ids.js";
import type { SessionSpec, StackPlace } from "../core/session.js";
import { isoSeconds } from "../core/time.js";
import type { TimerInput } from "../core/timers.js";
import type { Deps } from "../runtime/deps.js";
import { specFromStack, stackParameters, stackTags } from "./stack-record.js";

/**
 * A session is a stack and its expiry timer, kept in step: this module creates, changes and finds
 * the pair, undoing one side when the other fails.
 */

export interface LocatedSession extends StackPlace {
  stack: Stack;
  stackName: string;
}

/**
 * Finds a session's stack in whichever allowed account and region holds it, all read at once
 * (VPC ids are unique across regions and accounts). When it is nowhere but some account could not
 * be read, that account's failure is the answer (its role missing is a 422 naming the fix): the
 * session may be there.
 */
export async function locateSession(deps: Deps, id: string): Promise<LocatedSession> {
  if (!VPC_ID.test(id)) {
    throw new NotFoundError(`No session "${id.slice(0, 64)}": a session id is the VPC id, such as vpc-0123456789abcdef0.`, "id");
  }
  const stackName = stackNameFor(deps.config.stackPrefix, id);
  const { done, failed } = await acrossPlaces(everyPlace(deps.config), PLACES_AT_ONCE, (place) =>
    findStack(deps.clients(place.region, place.accountId).cloudFormation, stackName),
  );
  const hit = done.find((entry) => entry.value && isManagedStack(entry.value));
  if (hit?.value) return { stack: hit.value, ...hit.place, stackName };
  if (failed.length) throw failed[0].error;
  throw new NotFoundError(`There is no session for ${id}.`, "id");
}

const stackInput = (deps: Deps, spec: SessionSpec, stackName: string): StackInput => ({
  stackName,
  parameters: stackParameters(spec),
  tags: stackTags(spec),
  roleArn: stackRoleFor(deps.config, spec.accountId),
});

export const expiryTimerOf = (spec: SessionSpec, stackName: string): TimerInput => ({
  action: "expire",
  sessionId: spec.vpcId,
  accountId: spec.accountId,
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
  const cloudFormation = deps.clients(spec.region, spec.accountId).cloudFormation;
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
    const existing = raced
      ? await findStack(deps.clients(spec.region, spec.accountId).cloudFormation, stackName).catch(() => undefined)
      : undefined;
    const timer = expiryTimerOf(spec, stackName);
    const undo = existing
      ? upsertTimer(scheduler, config, timer, specFromStack(existing, spec).expiresAt, config.expireFunctionArn, "existing")
      : deleteTimer(scheduler, config, "expire", spec.vpcId, spec.accountId);
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
    await deleteStack(deps.clients(spec.region, spec.accountId).cloudFormation, {
      stackName,
      roleArn: stackRoleFor(config, spec.accountId),
    });
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
    updateStack(deps.clients(spec.region, spec.accountId).cloudFormation, stackInput(deps, spec, stackName)),
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

/** Deletes a session's stack with its account's endpoint-stack role (CloudFormation acts as that role). */
export const deleteSessionStack = (deps: Deps, place: StackPlace, stackName: string, retainResources?: string[]) =>
  deleteStack(deps.clients(place.region, place.accountId).cloudFormation, {
    stackName,
    roleArn: stackRoleFor(deps.config, place.accountId),
    retainResources,
  });
