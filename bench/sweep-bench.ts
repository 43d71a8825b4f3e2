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
  return [
    {
      measure: `sweeper over ${bytes(stacksOf(sweep))} stacks: wall time`,
      real: seconds(sweep.wallMs / 1000),
      check: below(sweep.wallMs, BUDGETS.sweepWallMs, seconds(BUDGETS.sweepWallMs / 1000)),
    },
    { measure: "sweeper: AWS calls (sequential round trips)", real: `${bytes(sweep.calls)} (${bytes(sweep.rounds)})` },
    { measure: "sweeper: peak RSS (peak heap)", ...memory(sweep) },
    {
      measure: `sweeper over ${where} (${bytes(stacksOf(org))} stacks): wall time`,
      real: seconds(org.wallMs / 1000),
      check: below(org.wallMs, fn.timeoutS * 1000, `${seconds(fn.timeoutS)} (the function's timeout)`),
    },
    {
      measure: `sweeper, ${where}: AWS calls (sequential round trips), AssumeRole`,
      real: `${bytes(org.calls)} (${bytes(org.rounds)}), ${org.assumeRoleCalls}`,
    },
    { measure: `sweeper, ${where}: peak RSS (peak heap)`, ...memory(org) },
  ];
}
