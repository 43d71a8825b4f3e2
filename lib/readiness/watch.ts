import { rebootInstances } from "../aws/instances.js";
import { deleteTimer, upsertTimer } from "../aws/schedules.js";
import { findStack, isManagedStack } from "../aws/stacks.js";
import { formatDuration } from "../core/duration.js";
import { instancesOf, isLive, type Session, statusOfStack } from "../core/session.js";
import { ceilToMinute, isoSeconds } from "../core/time.js";
import type { TimerInput, WatchState } from "../core/timers.js";
import type { Deps } from "../runtime/deps.js";
import { rebootRefusal } from "../sessions/policy.js";
import { sessionOfStack } from "../sessions/shape.js";
import { specFromStack } from "../sessions/stack-record.js";
import { readSessionReadiness } from "./read.js";
import { instancesToReboot, kickDueAt, nextCheckAt } from "./watch-plan.js";
import { watchStateOf } from "./watch-state.js";

/**
 * The readiness watch (issue 14): after the endpoints are available, a one-time timer checks each
 * instance of the session until every one is connectable (then session.connectable), the session
 * ends, or it expires; where a request asked for it, it reboots an instance once. The timer's
 * input is the watch's only state (lib/core/timers.ts); its cadence is lib/readiness/watch-plan.ts.
 */

export type WatchOutcome = "connectable" | "watching" | "ended" | "no_instances";

/** A hard bound on checks per session, whatever the cadence: the watch can never run away. */
const MAX_ROUNDS = 500;
const FIRST_CHECK_MS = 60_000;

const watchTimer = (session: Pick<Session, "id" | "accountId" | "region" | "stackName">, state: WatchState): TimerInput => ({
  action: "watch",
  sessionId: session.id,
  accountId: session.accountId,
  region: session.region,
  stackName: session.stackName,
  watch: state,
});

const arm = (deps: Deps, timer: TimerInput, at: Date) =>
  upsertTimer(deps.clients(deps.config.region).scheduler, deps.config, timer, at, deps.config.readiness.functionArn);

/**
 * Starts the watch of a session (its endpoints just became available, or an instance joined a
 * ready session): the first check a minute from now. Reboots already made are carried over, so
 * an instance is never rebooted twice.
 */
export async function startWatch(deps: Deps, session: Session): Promise<void> {
  if (session.instances.length === 0) return;
  const previous = await watchStateOf(deps, session.id, session.accountId);
  const now = deps.clock();
  const state: WatchState = { since: isoSeconds(now), round: 0, rebooted: previous?.rebooted ?? {} };
  // Round 0 is watch-a; a check pending under watch-b would watch the same session twice.
  await deleteTimer(deps.clients(deps.config.region).scheduler, deps.config, "watch-b", session.id, session.accountId);
  await arm(deps, watchTimer(session, state), ceilToMinute(new Date(now.getTime() + FIRST_CHECK_MS)));
}

/** One check of the watch: the watch timer's target. */
export async function checkReadiness(deps: Deps, timer: TimerInput): Promise<WatchOutcome> {
  const { config, logger } = deps;
  const now = deps.clock();
  const state: WatchState = timer.watch ?? { since: isoSeconds(now), round: 0, rebooted: {} };
  // The session's own account (a timer armed before accounts existed is the hub's).
  const place = { accountId: timer.accountId ?? config.accounts.hub, region: timer.region };
  const stack = await findStack(deps.clients(place.region, place.accountId).cloudFormation, timer.stackName);
  if (!stack || !isManagedStack(stack) || !isLive(stack.StackStatus) || state.round >= MAX_ROUNDS) return "ended";
  const spec = specFromStack(stack, place);
  if (instancesOf(spec).length === 0) return "no_instances";
  const next = (at: Date | undefined, rebooted = state.rebooted) =>
    at ? arm(deps, { ...timer, watch: { ...state, round: state.round + 1, rebooted } }, at) : Promise.resolve();
  if (statusOfStack(stack.StackStatus) === "creating") {
    await next(ceilToMinute(new Date(now.getTime() + FIRST_CHECK_MS)));
    return "watching";
  }

  // Told already: the record (the reboots GET shows) stays until the session ends; a check at
  // the expiry either finds the stack gone or, after an extension, waits for the new expiry.
  if (state.connectableAt) {
    await next(spec.expiresAt > now ? spec.expiresAt : undefined);
    return "connectable";
  }
  const { facts, instances } = await readSessionReadiness(deps, spec, state.rebooted);
  const session = sessionOfStack(deps, stack, place, { instances });
  if (session.connectable) {
    await deps.notifier.notify({ type: "session.connectable", session, actor: "ssm-knock", at: isoSeconds(now) });
    await arm(deps, { ...timer, watch: { ...state, round: state.round + 1, connectableAt: isoSeconds(now) } }, spec.expiresAt);
    return "connectable";
  }
  const { reboot, refused } = instancesToReboot(spec, instances, facts, state, {
    now,
    agentGraceMs: config.readiness.agentGraceMs,
    policy: { refusal: (instanceId, tags) => rebootRefusal(config.policy, instanceId, tags) },
  });
  for (const { instanceId, why } of refused)
    logger.warn("restartAgent asked, reboot not allowed", { sessionId: spec.vpcId, instanceId, why });
  const rebooted = { ...state.rebooted };
  if (reboot.length) {
    await rebootInstances(deps.clients(place.region, place.accountId).ec2, reboot);
    for (const instanceId of reboot) rebooted[instanceId] = isoSeconds(now);
    const shown = sessionOfStack(deps, stack, place, {
      instances: instances.map((i) => ({ ...i, rebootedAt: rebooted[i.id] ?? i.rebootedAt })),
    });
    const grace = formatDuration(config.readiness.agentGraceMs);
    await deps.notifier.notify({
      type: "session.instance_rebooted",
      session: shown,
      actor: "ssm-knock",
      reason: `${reboot.join(", ")} could not take a session ${grace} after the endpoints were available (restartAgent "if-offline"); its SSM Agent registers within about a minute of the restart.`,
      at: isoSeconds(now),
    });
  }
  const kickAt = kickDueAt(spec, instances, { ...state, rebooted }, config.readiness.agentGraceMs);
  const at = nextCheckAt(instances, state, { now, expiresAt: spec.expiresAt, rebootedNow: reboot.length > 0, kickDueAt: kickAt });
  await next(at, rebooted);
  return at ? "watching" : "ended";
}
