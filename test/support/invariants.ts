import { parseAtExpression } from "../../lib/core/time.js";
import { inspector } from "./inspect.js";

const STACK = /^ssm-knock-(vpc-[0-9a-f]+)$/;
const SCHEDULE = /^ssm-knock-(?:expire|warn)-(vpc-[0-9a-f]+)$/;

/**
 * What must hold in the emulator once the sweeper has run, whatever failed before:
 * 1. no ssm-knock stack past its expiry;
 * 2. no ssm-knock schedule without its session's stack;
 * 3. no stack without an enforced expiry: an enabled expire schedule for that stack that fires
 *    no later than the stack's recorded expiry.
 * Returns each violation as a sentence (empty when all hold), so a failure says what is wrong.
 */
export async function invariantViolations(now: Date, group = "ssm-knock"): Promise<string[]> {
  const look = inspector();
  const stacks = (await look.liveStacks()).filter(
    (s) => STACK.test(s.StackName ?? "") && !/^DELETE_(COMPLETE|IN_PROGRESS)$/.test(s.StackStatus ?? ""),
  );
  const names = await look.scheduleNames(group);
  const problems: string[] = [];
  const live = new Set(stacks.map((s) => STACK.exec(s.StackName ?? "")?.[1]));

  for (const name of names) {
    const sessionId = SCHEDULE.exec(name)?.[1];
    if (sessionId && !live.has(sessionId)) problems.push(`schedule ${name} has no stack`);
  }
  for (const stack of stacks) {
    const sessionId = STACK.exec(stack.StackName ?? "")?.[1] ?? "";
    const recorded = stack.Parameters?.find((p) => p.ParameterKey === "ExpiresAt")?.ParameterValue;
    const expiresAt = recorded ? new Date(recorded) : undefined;
    if (!expiresAt || Number.isNaN(expiresAt.getTime())) {
      problems.push(`stack ${stack.StackName} records no expiry`);
      continue;
    }
    if (expiresAt <= now) problems.push(`stack ${stack.StackName} (${stack.StackStatus}) is past its expiry ${recorded}`);
    const timer = `ssm-knock-expire-${sessionId}`;
    if (!names.includes(timer)) {
      problems.push(`stack ${stack.StackName} has no expire schedule`);
      continue;
    }
    const schedule = await look.schedule(timer, group);
    const firesAt = parseAtExpression(schedule.ScheduleExpression);
    const input = JSON.parse(schedule.Target?.Input ?? "{}");
    if (schedule.State !== "ENABLED") problems.push(`schedule ${timer} is ${schedule.State}`);
    if (!firesAt || firesAt > expiresAt)
      problems.push(`schedule ${timer} fires at ${schedule.ScheduleExpression}, after the expiry ${recorded}`);
    if (input.sessionId !== sessionId || input.stackName !== stack.StackName)
      problems.push(`schedule ${timer} targets ${schedule.Target?.Input}`);
  }
  return problems;
}
