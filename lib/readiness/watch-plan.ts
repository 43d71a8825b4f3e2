import type { ReadinessFacts } from "../core/readiness-facts.js";
import type { InstanceReadiness, SessionSpec } from "../core/session.js";
import { ceilToMinute } from "../core/time.js";
import type { WatchState } from "../core/timers.js";
import { nextRetry } from "./backoff.js";

/**
 * What the readiness watch decides, from facts: which instances to reboot, and when to look
 * again. Pure, so each rule is unit-tested; lib/readiness/watch.ts does what it says.
 */

const MINUTE = 60_000;
/** At most one check a minute, at least one every 15: a day of watching is under 150 checks. */
export const MIN_CHECK_GAP_MS = MINUTE;
export const MAX_CHECK_GAP_MS = 15 * MINUTE;
/** When the agent's next try is predicted, look a minute after its likely window opens. */
const AFTER_PREDICTED_RETRY_MS = MINUTE;
/** A rebooted agent registers within about a minute: look again soon. */
const AFTER_REBOOT_MS = 2 * MINUTE;
/** Without a prediction, the gaps grow (minutes): quick at first, when a fresh agent is likeliest. */
const GAPS_MINUTES = [1, 1, 2, 2, 3, 5, 5, 10, 10, 15];

export interface RebootPolicyCheck {
  /** undefined: allowed; otherwise why not (the deployment's policy, re-checked at each kick). */
  refusal(instanceId: string, tags: Record<string, string>): string | undefined;
}

/**
 * The instances to reboot now: not connectable, asked for with restartAgent "if-offline", not
 * rebooted before (once per instance), running, the grace passed since the endpoints were
 * available (the watch began), and still allowed by the deployment.
 */
/** Instances asked for with restartAgent "if-offline", not connectable and not rebooted yet. */
function kickCandidates(spec: SessionSpec, readiness: InstanceReadiness[], state: WatchState): InstanceReadiness[] {
  const asked = new Set(spec.requests.flatMap((r) => (r.restartAgent === "if-offline" && r.instanceId ? [r.instanceId] : [])));
  return readiness.filter((instance) => instance.connectable !== true && asked.has(instance.id) && !state.rebooted[instance.id]);
}

/** When a kick still to come becomes due (the grace after the watch began), if one is. */
export function kickDueAt(spec: SessionSpec, readiness: InstanceReadiness[], state: WatchState, agentGraceMs: number): Date | undefined {
  return kickCandidates(spec, readiness, state).length ? new Date(new Date(state.since).getTime() + agentGraceMs) : undefined;
}

export function instancesToReboot(
  spec: SessionSpec,
  readiness: InstanceReadiness[],
  facts: ReadinessFacts[],
  state: WatchState,
  context: { now: Date; agentGraceMs: number; policy: RebootPolicyCheck },
): { reboot: string[]; refused: { instanceId: string; why: string }[] } {
  const graceOver = context.now.getTime() - new Date(state.since).getTime() >= context.agentGraceMs;
  const reboot: string[] = [];
  const refused: { instanceId: string; why: string }[] = [];
  if (!graceOver) return { reboot, refused };
  for (const instance of kickCandidates(spec, readiness, state)) {
    const described = facts.find((f) => f.instanceId === instance.id)?.instance;
    const found = described?.ok ? described.value : undefined;
    if (found?.State?.Name !== "running") continue;
    const tags = Object.fromEntries((found.Tags ?? []).flatMap((tag) => (tag.Key ? [[tag.Key, tag.Value ?? ""]] : [])));
    const why = context.policy.refusal(instance.id, tags);
    if (why) refused.push({ instanceId: instance.id, why });
    else reboot.push(instance.id);
  }
  return { reboot, refused };
}

/** The earliest likely retry of an agent SSM knows as ConnectionLost, if any is predicted. */
function predictedRetry(readiness: InstanceReadiness[], now: Date): Date | undefined {
  const waiting = readiness.filter((r) => r.connectable !== true && r.pingStatus === "ConnectionLost" && r.lastPingAt);
  const likely = waiting.map((r) => nextRetry(new Date(r.lastPingAt as string), now).likelyFrom.getTime());
  return likely.length ? new Date(Math.min(...likely)) : undefined;
}

/**
 * When to look again: a couple of minutes after a reboot; when a kick asked for becomes due; a
 * minute after the likeliest next try of an agent SSM knows as offline; otherwise after a gap that
 * grows with each check; always between one and fifteen minutes from now, and never after the
 * session's expiry (undefined: stop).
 */
export function nextCheckAt(
  readiness: InstanceReadiness[],
  state: WatchState,
  context: { now: Date; expiresAt: Date; rebootedNow: boolean; kickDueAt?: Date },
): Date | undefined {
  const { now } = context;
  const predicted = predictedRetry(readiness, now);
  const waited = context.rebootedNow
    ? AFTER_REBOOT_MS
    : predicted
      ? predicted.getTime() + AFTER_PREDICTED_RETRY_MS - now.getTime()
      : GAPS_MINUTES[Math.min(state.round, GAPS_MINUTES.length - 1)] * MINUTE;
  const gap = context.kickDueAt && context.kickDueAt > now ? Math.min(waited, context.kickDueAt.getTime() - now.getTime()) : waited;
  // Scheduler fires on whole minutes.
  const at = ceilToMinute(new Date(now.getTime() + Math.min(MAX_CHECK_GAP_MS, Math.max(MIN_CHECK_GAP_MS, gap))));
  return at < context.expiresAt ? at : undefined;
}
