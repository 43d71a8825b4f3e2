import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { ensureGroup } from "../lib/aws/schedules.js";
import type { SessionEvent } from "../lib/core/session-events.js";
import { loadConfig } from "../lib/runtime/config.js";
import { startLocal } from "../local/app.js";
import { resetMoto, startMoto } from "../local/moto.js";
import { measureApi } from "./api.js";
import { atMost, BUDGETS } from "./budgets.js";
import { buildLikeTheService, buildNaiveOpen, packageFunctions, serverlessState } from "./bundles.js";
import { type CliStartup, cliRows, measureCliStartup } from "./cli.js";
import { costRows, measureCost, writeCostResults } from "./cost.js";
import { measureDeadSink } from "./dead-sink.js";
import { measureOverrun } from "./expiry.js";
import { emptyHandler, measureInit } from "./init.js";
import { measureReadiness, type ReadinessCase } from "./readiness.js";
import { readmeBlock, withBlock } from "./readme.js";
import { CallRecorder } from "./recorder.js";
import { smokeBundles } from "./smoke.js";
import { measureSweeps, sweepRows, sweepSettings } from "./sweep-bench.js";
import { bytes, initText, ms, type Row, renderTable, seconds } from "./table.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const REGION = "us-east-1";
const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const settings = {
  initRounds: setting("BENCH_INIT_ROUNDS", 61),
  apiRuns: setting("BENCH_API_RUNS", 20),
  overrunSessions: setting("BENCH_OVERRUN_SESSIONS", 10),
  cliRounds: setting("BENCH_CLI_ROUNDS", 21),
  deadSinkRuns: setting("BENCH_DEAD_SINK_RUNS", 200),
  ...sweepSettings(),
};
const say = (line: string) => console.error(`bench: ${line}`);
const loadBefore = loadavg();
const work = mkdtempSync(join(tmpdir(), "ssm-knock-bench-"));

// 1. Bundles: the deployment's own packaging, and the naive anchor beside it.
say("packaging every function (npm run package) and building the naive open");
// Packaging first: it writes the resolved configuration (.serverless/serverless-state.json) read below.
const real = packageFunctions(ROOT, work);
const state = serverlessState(ROOT);
const naive = await buildNaiveOpen(ROOT, work);
const floor = {
  name: "floor: 1 SDK client + Powertools + middy",
  file: await buildLikeTheService(ROOT, join(ROOT, "bench/floor/handler.ts"), join(work, "floor"), { naive: false }),
};
const lambdaEnv = {
  PATH: process.env.PATH,
  AWS_REGION: REGION,
  // What serverless.yml gives every function (NODE_OPTIONS among it), as Lambda would.
  ...Object.fromEntries(Object.entries(state.service.provider.environment ?? {}).filter(([, value]) => typeof value === "string")),
} as NodeJS.ProcessEnv;

say(`init: ${settings.initRounds} rounds of ${real.length + 3} fresh processes`);
const baseline = emptyHandler(work);
const init = measureInit(baseline, [floor, naive, ...real], { rounds: settings.initRounds, env: lambdaEnv, reference: floor });
const initOf = (name: string) => init.find((figure) => figure.name === name);

// 2. The API and expiry through local mode, on a moto server of our own.
say("starting moto");
// AWS managed policies: the readiness bench's instance profile carries AmazonSSMManagedInstanceCore.
const moto = await startMoto({ env: { MOTO_IAM_LOAD_MANAGED_POLICIES: "true" } });
Object.assign(process.env, {
  AWS_ENDPOINT_URL: moto.endpoint,
  AWS_REGION: REGION,
  AWS_ACCESS_KEY_ID: "bench",
  AWS_SECRET_ACCESS_KEY: "bench",
});
const rate = /rate\((\d+) minutes?\)/.exec(JSON.stringify(state.service.functions.sweep ?? {}))?.[1];
const sweepIntervalMinutes = Number(rate ?? 5);
process.env.SWEEP_INTERVAL_MINUTES = String(sweepIntervalMinutes);
try {
  say("running the packaged open, get and close bundles against moto");
  // The deployment provides the schedule group (serverless.yml); here, as in local mode, we do.
  await ensureGroup(new SchedulerClient({ region: REGION }), loadConfig({ ...process.env, ...lambdaEnv }).scheduleGroup);
  const smoke = await smokeBundles(real, REGION, { ...process.env, ...lambdaEnv, POWERTOOLS_LOG_LEVEL: "SILENT" });
  await resetMoto(moto.endpoint);
  // The ticker would poll in the background; the bench moves the clock itself.
  const events: SessionEvent[] = [];
  const app = await startLocal({
    port: 0,
    seed: false,
    log: () => undefined,
    tickMs: 24 * 3_600_000,
    notifiers: [{ notify: async (event) => void events.push(event) }],
  });
  let api: Awaited<ReturnType<typeof measureApi>>;
  let overrun: Awaited<ReturnType<typeof measureOverrun>>[];
  let cli: CliStartup;
  let readiness: ReadinessCase[];
  try {
    const recorder = new CallRecorder(() => app.clock.now().getTime());
    recorder.attach(app.deps.clients(REGION));
    say(`open, join, extend, close: ${settings.apiRuns} runs each, through local mode and wired as deployed`);
    api = await measureApi(app, { iterations: settings.apiRuns, region: REGION });
    say(`expiry overrun: ${settings.overrunSessions} sessions per case on the virtual clock`);
    overrun = [
      await measureOverrun(app, recorder, { region: REGION, sessions: settings.overrunSessions, breakTimers: false }),
      await measureOverrun(app, recorder, { region: REGION, sessions: settings.overrunSessions, breakTimers: true }),
    ];
    say("readiness: open to connectable on the virtual clock, agents cut off 10 minutes and 6 hours, with and without restartAgent");
    readiness = await measureReadiness(app, events, REGION);
    say(`CLI start-up: ${settings.cliRounds} rounds of bare Node, --help and ls against local mode`);
    cli = await measureCliStartup({ root: ROOT, api: app.url, rounds: settings.cliRounds });
  } finally {
    await app.stop();
  }

  // 3. What a mix of sessions costs, beside the original template (bench/cost.ts).
  say("cost: a mix of 8 sessions through local mode, each billed at its expiry");
  await resetMoto(moto.endpoint);
  const cost = await measureCost({ motoEndpoint: moto.endpoint });
  say(`wrote ${writeCostResults(cost)}`);

  // 4. The sweeper over a big account, and over an organization's accounts and regions.
  const sweeps = await measureSweeps({ root: ROOT, workDir: work, motoEndpoint: moto.endpoint, region: REGION, settings, say });
  const { sweep } = sweeps;
  const sweepFunction = state.service.functions.sweep as { memorySize?: number; timeout?: number } | undefined;
  const memoryMb = Number(sweepFunction?.memorySize ?? state.service.provider.memorySize ?? 1024);
  const timeoutS = Number(sweepFunction?.timeout ?? 6);
  say(`notify with dead sinks: ${settings.deadSinkRuns} events`);
  const deadSink = await measureDeadSink(settings.deadSinkRuns);

  // 5. The table.
  const rows: Row[] = [];
  rows.push({
    measure: "packaged open / get / close run against moto (HTTP status)",
    real: `${smoke.open} / ${smoke.get} / ${smoke.close}`,
    check: { budget: "202 / 200 / 202", pass: smoke.open === 202 && smoke.get === 200 && smoke.close === 202 },
  });
  const base = initOf(baseline.name);
  rows.push({ measure: "bare Node, empty handler: init", real: `1.00x: ${ms(base?.processMs ?? Number.NaN)}` });
  const floorInit = initOf(floor.name);
  rows.push({
    measure: `${floor.name}: init`,
    real: initText(floorInit),
  });
  for (const bundle of real) {
    const isOpen = bundle.name === "open";
    const figure = initOf(bundle.name);
    const naiveInit = initOf(naive.name);
    const limitBytes = BUDGETS.largeBundleFunctions.includes(bundle.name) ? BUDGETS.openBundleBytes : BUDGETS.otherBundleBytes;
    rows.push({
      measure: `${bundle.name}: bundle bytes (gzip)`,
      real: `${bytes(bundle.bytes)} (${bytes(bundle.gzipBytes)})`,
      naive: isOpen ? `${bytes(naive.bytes)} (${bytes(naive.gzipBytes)})` : undefined,
      check: atMost(bundle.bytes, limitBytes, bytes(limitBytes)),
    });
    rows.push({
      measure: `${bundle.name}: init, fresh process (import)`,
      real: initText(figure),
      naive: isOpen ? initText(naiveInit) : undefined,
      check: atMost(figure?.overReference ?? Number.POSITIVE_INFINITY, BUDGETS.initOverFloor, `${BUDGETS.initOverFloor.toFixed(1)}x floor`),
    });
  }
  for (const operation of api) {
    const isOpen = operation.operation.startsWith("open");
    rows.push({
      measure: `${operation.operation}: AWS calls / sequential round trips (as deployed)`,
      real: `${operation.calls} / ${operation.rounds}${operation.roundsMax !== operation.rounds ? ` (max ${operation.roundsMax})` : ""}`,
      check: isOpen ? atMost(operation.roundsMax, BUDGETS.openRounds, `${BUDGETS.openRounds} rounds`) : undefined,
    });
    rows.push({
      measure: `${operation.operation}: latency p50 / p95 (local mode, moto)`,
      real: `${ms(operation.p50Ms)} / ${ms(operation.p95Ms)}`,
    });
  }
  rows.push(...sweepRows(sweeps, settings, { memoryMb, timeoutS }));
  rows.push({
    measure: "notify, both sinks dead: returns to the action in, median / max",
    real: `${ms(deadSink.medianMs)} / ${ms(deadSink.maxMs)}`,
    check: atMost(deadSink.maxMs, BUDGETS.deadSinkNotifyMs, ms(BUDGETS.deadSinkNotifyMs)),
  });
  for (const figure of overrun) {
    const limit = figure.case === "schedule fires" ? BUDGETS.overrunScheduleS : sweepIntervalMinutes * 60 + BUDGETS.overrunSlackS;
    // Local mode fires a due timer at once on its virtual clock: that case measures ssm-knock's
    // side of an expiry (timer input to DeleteStack), never EventBridge Scheduler's own latency.
    const clockNote = figure.case === "schedule fires" ? " (virtual clock: not Scheduler's latency)" : "";
    rows.push({
      measure: `expiry overrun, ${figure.case}${clockNote}: median / max`,
      real: `${seconds(figure.medianS)} / ${seconds(figure.maxS)}`,
      check: atMost(figure.maxS, limit, figure.case === "schedule fires" ? "60 s" : `${sweepIntervalMinutes} min + 60 s`),
    });
  }

  for (const figure of readiness) {
    const shown = (minutes: number | null) => (minutes === null ? "not within 120 min" : `${minutes} min`);
    rows.push({
      measure: `readiness, agent cut off ${figure.offlineFor}${figure.restartAgent ? ", restartAgent" : ""}: open to agent Online / to session.connectable (virtual clock)`,
      real: `${shown(figure.agentOnlineMin)} / ${shown(figure.connectableMin)}${figure.rebooted ? " (rebooted)" : ""}`,
      // The kick's promise: connectable within 10 virtual minutes of the open.
      check: figure.restartAgent ? atMost(figure.connectableMin ?? Number.POSITIVE_INFINITY, 10, "10 min") : undefined,
    });
  }

  rows.push(...cliRows(cli));
  rows.push(...costRows(cost));

  const table = renderTable(rows);
  console.log(table);
  console.log(
    "\nThe \"schedule fires\" overrun runs on local mode's virtual clock, which fires a due timer at once: it proves nothing about EventBridge Scheduler's own latency.",
  );
  const failed = rows.filter((row) => row.check && !row.check.pass).length;
  console.log(failed ? `\n${failed} budget(s) FAIL` : "\nevery budget passes");

  const result = {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, loadavgBefore: loadBefore, loadavgAfter: loadavg() },
    settings: { ...settings, sweepIntervalMinutes, lambdaNodeOptions: lambdaEnv.NODE_OPTIONS ?? "" },
    bundles: [naive, ...real].map(({ file: _file, ...rest }) => rest),
    init,
    smoke,
    api,
    sweep,
    sweepOrg: sweeps.org,
    overrun,
    readiness,
    deadSink,
    cli,
    cost,
    table,
    budgets: rows.filter((row) => row.check).map((row) => ({ measure: row.measure, value: row.real, ...row.check })),
  };
  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(join(ROOT, "bench/results/latest.json"), `${JSON.stringify(result, null, 2)}\n`);
  // The README quotes this run and nothing else (test/build/bench-readme.test.ts holds it to that).
  const readme = join(ROOT, "README.md");
  writeFileSync(readme, withBlock(readFileSync(readme, "utf8"), readmeBlock(result)));
  say("wrote bench/results/latest.json and its figures into README.md");
} finally {
  await moto.stop();
  rmSync(work, { recursive: true, force: true });
}
