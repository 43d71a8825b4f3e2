/** The performance budgets of issue 7; the bench prints each as pass or fail (tests never do). */
export const BUDGETS = {
  /**
   * Minified bundle bytes (decimal: 1 MB = 1,000,000 bytes, 450 KB = 450,000 bytes). Open and the
   * functions that read readiness (five SDK clients: EC2, CloudFormation, Scheduler, SSM, IAM)
   * get the larger budget; every other function must stay small (docs/decisions.md).
   */
  openBundleBytes: 1_000_000,
  otherBundleBytes: 450_000,
  largeBundleFunctions: ["open", "get", "readiness", "slackWorker"] as readonly string[],
  /**
   * Init of a fresh process loading a function's bundle, over the floor measured in the same run
   * (one SDK client, Powertools' logger and middy: what any function of this design loads). The
   * machine's load moves both alike, so the ratio measures our code; the ratio over bare Node is
   * printed as information.
   */
  initOverFloor: 1.5,
  /** Sequential AWS round trips of one open. */
  openRounds: 4,
  /** The sweeper over 1,000 ssm-knock stacks among 1,000 others. */
  sweepWallMs: 60_000,
  /** Deletion start after expiry when the schedule fires; when only the sweeper catches it, one
   * sweeper interval more. */
  overrunScheduleS: 60,
  overrunSlackS: 60,
  /** How long `notify` may keep an action waiting when every sink is dead (it hands off and returns). */
  deadSinkNotifyMs: 50,
} as const;

export interface Check {
  budget: string;
  pass: boolean;
}

export const atMost = (value: number, limit: number, label: string): Check => ({ budget: `≤ ${label}`, pass: value <= limit });
export const below = (value: number, limit: number, label: string): Check => ({ budget: `< ${label}`, pass: value < limit });
