/**
 * The SSM Agent's retry schedule after it loses Systems Manager, taken from its source:
 * aws/amazon-ssm-agent 3.3.1142.0 (tag 3.3.1142.0, commit 1c217c89b42de51d4f4063363d8ec1f2eef56055,
 * 2024-10-15; the file last changed in d76f19c, 2024-06-20).
 *
 * core/app/credentialrefresher/credentialrefresher_deps.go:
 * - `getEC2DefaultSSMSleepDuration(retryCount)`: 300 s when retryCount is 0, else
 *   `getSleepWithRandomJitter(600 * 2^(ceil(retryCount / 3) - 1))`; a draw of 3600 s or more is
 *   replaced by `getSleepWithRandomJitter(3600)`. So: 5 min, then 10 (counts 1-3), 20 (4-6),
 *   40 (7-9) and 60 from 10 on.
 * - `getSleepWithRandomJitter(w)`: `w - ceil(w/10) + rand.Intn(ceil(w/10))` whole seconds.
 * - `getLongSleepDuration` (AccessDeniedException, MachineFingerprintDoesNotMatch on EC2):
 *   25 min + `rand.Intn(300)` s.
 * core/app/credentialrefresher/credentialrefresher.go, `retrieveCredsWithRetry`: the count starts
 * at 0 with the first failure, grows by one per failure (both kinds share it) and stops at 16.
 * agent/hibernation/hibernation.go has the same 5/10/20/40/60-minute steps without jitter.
 *
 * Where the source is finer than the usual summary ("each wait 90-100 %"): the first wait is
 * exactly 5 minutes (no jitter), and a jittered wait is 90 % of its figure up to one second less
 * than 100 %, in whole seconds; after AccessDenied it is 25:00 to 29:59.
 */

/** Why an attempt failed: no route to Systems Manager, or it answered AccessDenied. */
export type AgentFailure = "unreachable" | "denied";

/** The retry count stops growing here (credentialrefresher.go). */
export const MAX_RETRY_COUNT = 16;

const FIRST_WAIT_S = 300;
const MAX_INTERVAL_S = 3600;

/** `rand.Intn(n)`: an integer in [0, n). */
type Intn = (n: number) => number;

function jittered(intervalS: number, intn: Intn): number {
  const jitter = Math.ceil(intervalS * 0.1);
  return intervalS - jitter + (jitter === 0 ? 0 : intn(jitter));
}

function sleepSeconds(retryCount: number, failure: AgentFailure, intn: Intn): number {
  if (failure === "denied") return 1500 + intn(300);
  if (retryCount === 0) return FIRST_WAIT_S;
  if (retryCount > MAX_RETRY_COUNT) return jittered(MAX_INTERVAL_S, intn);
  const level = 2 ** (Math.ceil(retryCount / 3) - 1);
  const draw = jittered(FIRST_WAIT_S * 2 * level, intn);
  return draw >= MAX_INTERVAL_S ? jittered(MAX_INTERVAL_S, intn) : draw;
}

/** The shortest and longest wait (ms, both possible) after the failure counted `retryCount`. */
export function retryWaitBounds(retryCount: number, failure: AgentFailure = "unreachable"): { minMs: number; maxMs: number } {
  return {
    minMs: sleepSeconds(retryCount, failure, () => 0) * 1000,
    maxMs: sleepSeconds(retryCount, failure, (n) => n - 1) * 1000,
  };
}

/** One wait (ms) as the agent draws it; `random` returns [0, 1) (seededRandom for local mode). */
export function drawRetryWait(retryCount: number, failure: AgentFailure, random: () => number): number {
  return sleepSeconds(retryCount, failure, (n) => Math.floor(random() * n)) * 1000;
}

/**
 * A deterministic [0, 1) stream for a seed string (mulberry32 seeded with FNV-1a): local mode
 * draws each agent's jitter from `seededRandom("<seed>/<instance>/<boot>")`, so a run repeats.
 */
export function seededRandom(seed: string): () => number {
  let state = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) state = Math.imul(state ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface NextRetry {
  /** Bounds from the jitter: the agent's next attempt after `now` cannot fall outside them. */
  earliest: Date;
  latest: Date;
  /** Where 90 % of simulated agents make it (5th to 95th percentile). */
  likelyFrom: Date;
  likelyTo: Date;
}

const SIMULATED_AGENTS = 1000;
/** Past this, the accumulated jitter has spread the attempts over the whole hour. */
const PHASE_HORIZON_MS = 48 * 3_600_000;

/**
 * When an agent that has failed since `lostAt` (every attempt finding no route) tries next after
 * `now`. Attempt k happens at lostAt plus the first k waits, so its bounds are the sums of the
 * waits' bounds; the next attempt after now is no earlier than the first attempt that may still
 * be ahead, and no later than the first that surely is, nor than now plus the longest wait.
 */
export function nextRetry(lostAt: Date, now: Date): NextRetry {
  const start = lostAt.getTime();
  const at = Math.max(now.getTime(), start);
  let earliest = start;
  let latest = start;
  let lowerBound: number | undefined;
  for (let count = 0; ; count++) {
    const wait = retryWaitBounds(count);
    earliest += wait.minMs;
    latest += wait.maxMs;
    if (lowerBound === undefined && latest > at) lowerBound = Math.max(at, earliest);
    if (earliest > at) {
      const upper = Math.min(latest, at + wait.maxMs);
      const bounds = { earliest: new Date(lowerBound ?? earliest), latest: new Date(upper) };
      const likely = at - start > PHASE_HORIZON_MS ? undefined : simulatedWindow(start, at);
      return {
        ...bounds,
        likelyFrom: likely ? new Date(likely[0]) : bounds.earliest,
        likelyTo: likely ? new Date(likely[1]) : bounds.latest,
      };
    }
  }
}

function simulatedWindow(start: number, at: number): [number, number] {
  const random = seededRandom("ssm-knock/likely-retry");
  const next: number[] = [];
  for (let agent = 0; agent < SIMULATED_AGENTS; agent++) {
    let time = start;
    for (let count = 0; time <= at; count++) time += drawRetryWait(Math.min(count, MAX_RETRY_COUNT), "unreachable", random);
    next.push(time);
  }
  next.sort((a, b) => a - b);
  return [next[Math.floor(SIMULATED_AGENTS * 0.05)], next[Math.ceil(SIMULATED_AGENTS * 0.95) - 1]];
}

const MINUTE = 60_000;

/** "10:12Z", or "2026-11-30 04:10Z" when the day is not `today`'s (UTC). */
function clockTime(date: Date, today: Date): string {
  const iso = date.toISOString();
  const time = `${iso.slice(11, 16)}Z`;
  return iso.slice(0, 10) === today.toISOString().slice(0, 10) ? time : `${iso.slice(0, 10)} ${time}`;
}

/**
 * The warning people read: "offline since 04:10Z; its agent will likely retry between 10:12Z and
 * 10:18Z (at the latest by 10:40Z)". `neverConnected`: the agent has failed since its launch.
 */
export function offlineSentence(lostAt: Date, now: Date, options: { neverConnected?: boolean } = {}): string {
  const next = nextRetry(lostAt, now);
  const floor = (d: Date) => new Date(Math.floor(d.getTime() / MINUTE) * MINUTE);
  const ceil = (d: Date) => new Date(Math.ceil(d.getTime() / MINUTE) * MINUTE);
  const since = options.neverConnected
    ? `not connected since its launch at ${clockTime(lostAt, now)}`
    : `offline since ${clockTime(lostAt, now)}`;
  const from = clockTime(floor(next.likelyFrom), now);
  const to = clockTime(ceil(next.likelyTo), now);
  const latest = clockTime(ceil(next.latest), now);
  const window = from === to ? `at about ${from}` : `between ${from} and ${to}`;
  return `${since}; its agent will likely retry ${window}${latest === to ? "" : ` (at the latest by ${latest})`}`;
}
