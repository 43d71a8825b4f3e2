import { getTimer } from "../aws/schedules.js";
import { parseTimerInput, type TimerKind, type WatchState } from "../core/timers.js";
import type { Deps } from "../runtime/deps.js";

const WATCH_KINDS: TimerKind[] = ["watch-a", "watch-b"];

/** What the watch recorded so far (reboots), from whichever of its two timers exists (in the hub, for a session of `accountId`). */
export async function watchStateOf(deps: Deps, sessionId: string, accountId?: string): Promise<WatchState | undefined> {
  const scheduler = deps.clients(deps.config.region).scheduler;
  const timers = await Promise.all(WATCH_KINDS.map((kind) => getTimer(scheduler, deps.config, kind, sessionId, accountId)));
  const states = timers.flatMap((t) => (t?.Target?.Input ? [parseTimerInput(JSON.parse(t.Target.Input)).watch] : [])).filter(Boolean);
  return states.sort((a, b) => (b?.round ?? 0) - (a?.round ?? 0))[0];
}
