import { isDeepStrictEqual } from "node:util";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { ensureGroup } from "../lib/aws/schedules.js";
import { loadConfig } from "../lib/runtime/config.js";
import { resetMoto } from "../local/moto.js";
import { atMost, BUDGETS, below } from "./budgets.js";
import { measureSweeper, type SweepFigures } from "./sweeper.js";
import { bytes, type Row, seconds } from "./table.js";

const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/** The two sweeps the bench measures: one big account, and an organization of accounts and regions. */
export const sweepSettings = () => ({
  sweepSessions: setting("BENCH_SWEEP_SESSIONS", 1000),
  sweepOthers: setting("BENCH_SWEEP_OTHERS", 1000),
  orgAccounts: setting("BENCH_ORG_ACCOUNTS", 10),
  orgRegions: (process.env.BENCH_ORG_REGIONS ?? "us-east-1,eu-west-1").split(","),
  /** Per account and region. */
  orgSessions: setting("BENCH_ORG_SESSIONS", 100),
  orgOthers: setting("BENCH_ORG_OTHERS", 100),
});

export type SweepSettings = ReturnType<typeof sweepSettings>;

/** Both sweeps, each on a fresh emulator (building the world is not timed). */
export async function measureSweeps(options: {
  root: string;
  workDir: string;
  motoEndpoint: string;
  region: string;
  settings: SweepSettings;
  say: (line: string) => void;
}): Promise<{ sweep: SweepFigures; org: SweepFigures }> {
  const { settings, say } = options;
  const env = { ...process.env, POWERTOOLS_LOG_LEVEL: "SILENT" };
  const fresh = async () => {
    await resetMoto(options.motoEndpoint);
    const config = loadConfig(process.env);
    await ensureGroup(new SchedulerClient({ region: options.region }), config.scheduleGroup);
    return config;
  };
  say(`sweeper: building ${settings.sweepSessions} ssm-knock and ${settings.sweepOthers} other stacks in moto (not timed)`);
  const sweep = await measureSweeper({
    ...options,
    config: await fresh(),
    sessions: settings.sweepSessions,
    others: settings.sweepOthers,
    env,
  });
  const places = settings.orgAccounts * settings.orgRegions.length;
  say(
    `sweeper, organization: ${settings.orgAccounts} accounts x ${settings.orgRegions.length} regions, ${settings.orgSessions} ssm-knock and ${settings.orgOthers} other stacks in each (${places} places; not timed)`,
  );
  const org = await measureSweeper({
    ...options,
    config: await fresh(),
    sessions: settings.orgSessions,
    others: settings.orgOthers,
    env,
    org: { accounts: settings.orgAccounts, regions: settings.orgRegions },
  });
  return { sweep, org };
}

const stacksOf = (figures: SweepFigures) =>
  figures.world.expired + figures.world.liveWithTimer + figures.world.liveWithoutTimer + figures.world.others;

/** What a sweep of this world must have done: a fast sweep that did the wrong thing is no pass. */
const expectedSummary = (world: SweepFigures["world"], accounts: number): SweepFigures["summary"] => ({
  stacksSeen: world.expired + world.liveWithTimer + world.liveWithoutTimer,
  expiredDeleted: world.expired,
  failedDeleted: 0,
  deleteRetried: 0,
  schedulesRemoved: 0,
  schedulesRecreated: world.liveWithoutTimer,
  errors: 0,
  accountsSwept: accounts,
  accountsFailed: 0,
});

const summaryText = (s: SweepFigures["summary"]) =>
  `${bytes(s.stacksSeen)} seen, ${bytes(s.expiredDeleted)} expired deleted, ${bytes(s.schedulesRecreated)} timers re-created, ` +
  `${s.failedDeleted + s.deleteRetried + s.schedulesRemoved} other actions, ${s.errors} errors, ` +
  `${s.accountsSwept} accounts swept, ${s.accountsFailed} failed`;

/** The summary row of one sweep, and whether it was right. */
function summaryRow(label: string, figures: SweepFigures, accounts: number): Row & { right: boolean } {
  const expected = expectedSummary(figures.world, accounts);
  const right = isDeepStrictEqual(figures.summary, expected);
  return {
    measure: `${label}: summary (what it did)`,
    real: summaryText(figures.summary),
    check: { budget: `= ${summaryText(expected)}`, pass: right },
    right,
  };
}

/** The wall time passes only with a right summary. */
const gated = (check: { budget: string; pass: boolean }, right: boolean) => ({
  budget: `${check.budget}, summary right`,
  pass: check.pass && right,
});

/** The sweeper's rows of the bench table: the big account's (with its budget), then the organization's. */
export function sweepRows(
  figures: { sweep: SweepFigures; org: SweepFigures },
  settings: SweepSettings,
  fn: { memoryMb: number; timeoutS: number },
): Row[] {
  const { sweep, org } = figures;
  const memory = (f: SweepFigures) => ({
    real: `${f.peakRssMb.toFixed(0)} MB (${f.peakHeapMb.toFixed(0)} MB)`,
    check: atMost(f.peakRssMb, fn.memoryMb, `${fn.memoryMb} MB (the function's memory)`),
  });
  const where = `${settings.orgAccounts} accounts x ${settings.orgRegions.length} regions`;
  const { right: sweepRight, ...sweepSummary } = summaryRow("sweeper", sweep, 1);
  const { right: orgRight, ...orgSummary } = summaryRow(`sweeper, ${where}`, org, settings.orgAccounts);
  return [
    sweepSummary,
    {
      measure: `sweeper over ${bytes(stacksOf(sweep))} stacks: wall time`,
      real: seconds(sweep.wallMs / 1000),
      check: gated(below(sweep.wallMs, BUDGETS.sweepWallMs, seconds(BUDGETS.sweepWallMs / 1000)), sweepRight),
    },
    { measure: "sweeper: AWS calls (sequential round trips)", real: `${bytes(sweep.calls)} (${bytes(sweep.rounds)})` },
    { measure: "sweeper: peak RSS (peak heap)", ...memory(sweep) },
    orgSummary,
    {
      measure: `sweeper over ${where} (${bytes(stacksOf(org))} stacks): wall time`,
      real: seconds(org.wallMs / 1000),
      check: gated(below(org.wallMs, fn.timeoutS * 1000, `${seconds(fn.timeoutS)} (the function's timeout)`), orgRight),
    },
    {
      measure: `sweeper, ${where}: AWS calls (sequential round trips), AssumeRole`,
      real: `${bytes(org.calls)} (${bytes(org.rounds)}), ${org.assumeRoleCalls}`,
    },
    { measure: `sweeper, ${where}: peak RSS (peak heap)`, ...memory(org) },
  ];
}
