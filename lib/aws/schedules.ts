import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  type GetScheduleCommandOutput,
  paginateListSchedules,
  type SchedulerClient,
  UpdateScheduleCommand,
} from "@aws-sdk/client-scheduler";
import { atExpression } from "../core/time.js";
import { TIMER_KINDS, type TimerInput, type TimerKind, timerKindOf } from "../core/timers.js";
import type { Config } from "../runtime/config.js";
import { isAwsError } from "./errors.js";

/** Deterministic per session and kind: a second request updates the timer instead of adding one. */
export const scheduleNameFor = (prefix: string, kind: TimerKind, sessionId: string) => `${prefix}-${kind}-${sessionId}`;

/** The session id of one of our schedule names, or undefined for any other schedule. */
export function sessionOfScheduleName(prefix: string, name: string): { kind: TimerKind; sessionId: string } | undefined {
  const match = new RegExp(`^${prefix}-(${TIMER_KINDS.join("|")})-(vpc-[0-9a-f]+)$`).exec(name);
  return match ? { kind: match[1] as TimerKind, sessionId: match[2] } : undefined;
}

type ScheduleConfig = Pick<
  Config,
  "scheduleGroup" | "stackPrefix" | "expireFunctionArn" | "schedulerRoleArn" | "scheduleDeadLetterArn" | "scheduleRetryAttempts"
>;

function scheduleInput(config: ScheduleConfig, timer: TimerInput, at: Date, targetArn: string): CreateScheduleCommandInput {
  return {
    Name: scheduleNameFor(config.stackPrefix, timerKindOf(timer), timer.sessionId),
    GroupName: config.scheduleGroup,
    Description: `ssm-knock ${timer.action} for ${timer.sessionId} (${timer.region})`,
    ScheduleExpression: atExpression(at),
    ScheduleExpressionTimezone: "UTC",
    FlexibleTimeWindow: { Mode: "OFF" },
    // A one-time schedule has nothing left to do once it fired; the sweeper covers failures.
    ActionAfterCompletion: "DELETE",
    State: "ENABLED",
    Target: {
      Arn: targetArn,
      RoleArn: config.schedulerRoleArn,
      Input: JSON.stringify(timer),
      RetryPolicy: { MaximumRetryAttempts: config.scheduleRetryAttempts, MaximumEventAgeInSeconds: 86_400 },
      DeadLetterConfig: config.scheduleDeadLetterArn ? { Arn: config.scheduleDeadLetterArn } : undefined,
    },
  };
}

/**
 * Creates the timer, or moves it when one exists (the name is per session, so two clicks never
 * make two). Re-creates the schedule group if it went missing. `expect: "existing"` tries the
 * update first: one round trip instead of two when moving a timer that is there.
 */
export async function upsertTimer(
  scheduler: SchedulerClient,
  config: ScheduleConfig,
  timer: TimerInput,
  at: Date,
  targetArn = config.expireFunctionArn,
  expect: "new" | "existing" = "new",
): Promise<void> {
  const input = scheduleInput(config, timer, at, targetArn);
  if (expect === "existing") {
    try {
      await scheduler.send(new UpdateScheduleCommand(input));
      return;
    } catch (error) {
      if (!isAwsError(error, "ResourceNotFoundException")) throw error;
    }
  }
  try {
    await scheduler.send(new CreateScheduleCommand(input));
  } catch (error) {
    if (isAwsError(error, "ConflictException")) {
      await scheduler.send(new UpdateScheduleCommand(input));
    } else if (isAwsError(error, "ResourceNotFoundException")) {
      await ensureGroup(scheduler, config.scheduleGroup);
      await scheduler.send(new CreateScheduleCommand(input));
    } else {
      throw error;
    }
  }
}

/** The deployment creates the group; this re-creates it if someone deleted it (idempotent). */
export async function ensureGroup(scheduler: SchedulerClient, name: string): Promise<void> {
  try {
    await scheduler.send(new CreateScheduleGroupCommand({ Name: name, Tags: [{ Key: "ssm-knock:managed", Value: "true" }] }));
  } catch (error) {
    if (!isAwsError(error, "ConflictException")) throw error;
  }
}

/** Deletes a timer; one that is already gone is fine. */
export async function deleteTimer(
  scheduler: SchedulerClient,
  config: ScheduleConfig,
  kind: TimerKind,
  sessionId: string,
): Promise<boolean> {
  try {
    await scheduler.send(
      new DeleteScheduleCommand({ Name: scheduleNameFor(config.stackPrefix, kind, sessionId), GroupName: config.scheduleGroup }),
    );
    return true;
  } catch (error) {
    if (isAwsError(error, "ResourceNotFoundException")) return false;
    throw error;
  }
}

/** Removes every timer of a session (its stack is gone or going), all at once. */
export async function deleteSessionTimers(scheduler: SchedulerClient, config: ScheduleConfig, sessionId: string): Promise<void> {
  await Promise.all(TIMER_KINDS.map((kind) => deleteTimer(scheduler, config, kind, sessionId)));
}

export async function getTimer(
  scheduler: SchedulerClient,
  config: ScheduleConfig,
  kind: TimerKind,
  sessionId: string,
): Promise<GetScheduleCommandOutput | undefined> {
  try {
    return await scheduler.send(
      new GetScheduleCommand({ Name: scheduleNameFor(config.stackPrefix, kind, sessionId), GroupName: config.scheduleGroup }),
    );
  } catch (error) {
    if (isAwsError(error, "ResourceNotFoundException")) return undefined;
    throw error;
  }
}

/** Every schedule name in the group (starting with `prefix`, if given), page by page; a missing group has none. */
export async function listTimerNames(scheduler: SchedulerClient, group: string, prefix?: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const page of paginateListSchedules({ client: scheduler }, { GroupName: group, NamePrefix: prefix })) {
      for (const schedule of page.Schedules ?? []) if (schedule.Name) names.push(schedule.Name);
    }
  } catch (error) {
    if (!isAwsError(error, "ResourceNotFoundException")) throw error;
  }
  return names;
}

/**
 * How many sessions are open, counted by their expiry timers: one ListSchedules in the service's
 * own group, where listing every stack of a large account would take pages of DescribeStacks.
 * The sweeper keeps timers and live stacks one to one; closing removes the timer.
 */
export async function countExpiryTimers(
  scheduler: SchedulerClient,
  config: Pick<Config, "scheduleGroup" | "stackPrefix">,
): Promise<number> {
  return (await listTimerNames(scheduler, config.scheduleGroup, `${config.stackPrefix}-expire-`)).length;
}
