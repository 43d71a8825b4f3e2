import { ACCOUNT_ID, INSTANCE_ID, REGION, VPC_ID } from "./ids.js";
import * as z from "./zod.js";

/**
 * What the readiness watch carries from one check to the next: the timer is its only state. `since`
 * is when the watch began (the endpoints were available or an instance joined), `round` counts
 * checks, `rebooted` records each instance ssm-knock rebooted and when (once per instance).
 */
export interface WatchState {
  since: string;
  round: number;
  rebooted: Record<string, string>;
  /** session.connectable was sent: the watch only keeps its record until the session ends. */
  connectableAt?: string;
}

/** What a schedule hands to its target: enough to find the session, nothing to trust blindly. */
export interface TimerInput {
  action: "expire" | "warn" | "watch";
  sessionId: string;
  /** The account the session's stack is in; absent (timers armed before issue 17) means the hub's. */
  accountId?: string;
  region: string;
  stackName: string;
  /** Only for action "watch". */
  watch?: WatchState;
}

/**
 * The name part of a timer. Expire and warn have one timer each per session; the watch alternates
 * between two names, because a one-time schedule deletes itself once it has invoked its target
 * (ActionAfterCompletion DELETE), and the watch arms its next check from inside that invocation.
 */
export type TimerKind = "expire" | "warn" | "watch-a" | "watch-b";

export const TIMER_KINDS: readonly TimerKind[] = ["expire", "warn", "watch-a", "watch-b"];

export const timerKindOf = (timer: Pick<TimerInput, "action" | "watch">): TimerKind =>
  timer.action === "watch" ? ((timer.watch?.round ?? 0) % 2 === 0 ? "watch-a" : "watch-b") : timer.action;

const isoInstant = () => z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/));

// Built on first use (z.lazy), not in the cold start.
const TimerInputSchema = z.lazy(() =>
  z.object({
    action: z._default(z.enum(["expire", "warn", "watch"]), "expire"),
    sessionId: z.string().check(z.regex(VPC_ID)),
    accountId: z.optional(z.string().check(z.regex(ACCOUNT_ID))),
    region: z.string().check(z.regex(REGION)),
    stackName: z.string().check(z.maxLength(128)),
    watch: z.optional(
      z.object({
        since: isoInstant(),
        round: z.number().check(z.int(), z.gte(0), z.lte(10_000)),
        rebooted: z.record(z.string().check(z.regex(INSTANCE_ID)), isoInstant()),
        connectableAt: z.optional(isoInstant()),
      }),
    ),
  }),
);

/** A schedule's input, checked: a malformed one is a bug worth failing loudly (it goes to the DLQ). */
export function parseTimerInput(event: unknown): TimerInput {
  const result = TimerInputSchema.safeParse(event);
  if (!result.success) throw new Error(`Not an ssm-knock timer event: ${result.error.issues[0]?.message}`);
  return result.data;
}
