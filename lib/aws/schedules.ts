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

/**
 * Deterministic per session and kind: a second request updates the timer instead of adding one.
 * A member account's session ends in `-<account id>`, so one ListSchedules in the hub's group
 * tells how many sessions each account has; the hub's own keep the names they always had.
 */
export const scheduleNameFor = (prefix: string, kind: TimerKind, sessionId: string, memberAccountId?: string) =>
  `${prefix}-${kind}-${sessionId}${memberAccountId ? `-${memberAccountId}` : ""}`;

/** The session (and the member account, if any) of one of our schedule names, or undefined for any other schedule. */
export function sessionOfScheduleName(
  prefix: string,
  name: string,
): { kind: TimerKind; sessionId: string; memberAccountId?: string } | undefined {
  const match = new RegExp(`^${prefix}-(${TIMER_KINDS.join("|")})-(vpc-[0-9a-f]+)(?:-(\\d{12}))?$`).exec(name);
  return match ? { kind: match[1] as TimerKind, sessionId: match[2], memberAccountId: match[3] } : undefined;
}

type ScheduleConfig = Pick<
  Config,
  | "scheduleGroup"
  | "stackPrefix"
  | "expireFunctionArn"
  | "schedulerRoleArn"
  | "scheduleDeadLetterArn"
  | "scheduleRetryAttempts"
  | "accounts"
>;

/** The account a name carries: none for the hub's own sessions. */
const memberOf = (config: Pick<Config, "accounts">, accountId: string | undefined) =>
  accountId && accountId !== config.accounts.hub ? accountId : undefined;

const nameOf = (config: ScheduleConfig, kind: TimerKind, sessionId: string, accountId?: string) =>
  scheduleNameFor(config.stackPrefix, kind, sessionId, memberOf(config, accountId));

function scheduleInput(config: ScheduleConfig, timer: TimerInput, at: Date, targetArn: string): CreateScheduleCommandInput {
  return {
    Name: nameOf(config, timerKindOf(timer), timer.sessionId, timer.accountId),
    GroupName: config.scheduleGroup,
    Description: `ssm-knock ${timer.action} for ${timer.sessionId} (${timer.accountId ?? config.accounts.hub}, ${timer.region})`,
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

/** Deletes a timer (of the session in `accountId`, default the hub's); one that is already gone is fine. */
export async function deleteTimer(
  scheduler: SchedulerClient,
  config: ScheduleConfig,
  kind: TimerKind,
  sessionId: string,
  accountId?: string,
): Promise<boolean> {
  try {
    await scheduler.send(new DeleteScheduleCommand({ Name: nameOf(config, kind, sessionId, accountId), GroupName: config.scheduleGroup }));
    return true;
  } catch (error) {
    if (isAwsError(error, "ResourceNotFoundException")) return false;
    throw error;
  }
}

/** Removes every timer of a session (its stack is gone or going), all at once. */
export async function deleteSessionTimers(
  scheduler: SchedulerClient,
  config: ScheduleConfig,
  sessionId: string,
  accountId?: string,
): Promise<void> {
  await Promise.all(TIMER_KINDS.map((kind) => deleteTimer(scheduler, config, kind, sessionId, accountId)));
}

export async function getTimer(
  scheduler: SchedulerClient,
  config: ScheduleConfig,
  kind: TimerKind,
  sessionId: string,
  accountId?: string,
): Promise<GetScheduleCommandOutput | undefined> {
  try {
    return await scheduler.send(
      new GetScheduleCommand({ Name: nameOf(config, kind, sessionId, accountId), GroupName: config.scheduleGroup }),
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

/** Open sessions, in total and per account. */
export interface SessionCount {
  total: number;
  of(accountId: string): number;
}

/**
 * How many sessions are open, counted by their expiry timers: one ListSchedules in the service's
 * own group, where listing every stack of every account would take pages of DescribeStacks per
 * account and region. The names say each session's account. The sweeper keeps timers and live
 * stacks one to one; closing removes the timer.
 */
export async function countExpiryTimers(
  scheduler: SchedulerClient,
  config: Pick<Config, "scheduleGroup" | "stackPrefix" | "accounts">,
): Promise<SessionCount> {
  const names = await listTimerNames(scheduler, config.scheduleGroup, `${config.stackPrefix}-expire-`);
  const perAccount = new Map<string, number>();
  for (const name of names) {
    const parsed = sessionOfScheduleName(config.stackPrefix, name);
    if (!parsed) continue;
    const accountId = parsed.memberAccountId ?? config.accounts.hub;
    perAccount.set(accountId, (perAccount.get(accountId) ?? 0) + 1);
  }
  return { total: [...perAccount.values()].reduce((sum, n) => sum + n, 0), of: (accountId) => perAccount.get(accountId) ?? 0 };
}
