import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { createHandler as expireHandler } from "../functions/expire.js";
import { createHandler as notifyExpiringHandler } from "../functions/notify-expiring.js";
import { createHandler as readinessHandler } from "../functions/readiness.js";
import { createHandler as sweepHandler } from "../functions/sweep.js";
import { ensureGroup } from "../lib/aws/schedules.js";
import { envSecrets } from "../lib/aws/secrets.js";
import type { Notifier } from "../lib/core/session-events.js";
import { isoSeconds } from "../lib/core/time.js";
import { backgroundNotifier } from "../lib/notify/notifiers.js";
import { handleSessionEvent } from "../lib/notify/pipeline.js";
import { type Config, loadConfig } from "../lib/runtime/config.js";
import { createDeps, type Deps } from "../lib/runtime/deps.js";
import { backgroundDeferrer, runSlackJob } from "../lib/slack/jobs.js";
import { lazySlackDeps } from "../lib/slack/slack-deps.js";
import { type MemberDemo, memberAccountsOf, memberCredentials, seedMemberDemos } from "./accounts.js";
import { type AgentDemo, seedAgentDemo } from "./agent/seed.js";
import { startAgentModel } from "./agent/start.js";
import { recordedClients, runAs } from "./aws-call-log.js";
import { VirtualClock } from "./clock.js";
import { lineNotifier } from "./event-lines.js";
import { router } from "./http.js";
import { asFunction } from "./invocations.js";
import { type MotoServer, startMoto } from "./moto.js";
import { localRoutes } from "./routes.js";
import { LocalScheduler, type Target } from "./scheduler.js";
import { type DemoWorld, seedWorld } from "./seed.js";
import { type AdvanceReport, TimeMachine } from "./time-machine.js";
import { StackWatcher } from "./watcher.js";

export type { AdvanceReport } from "./time-machine.js";

export interface LocalOptions {
  /** 0 picks a free port. Default: $PORT or 3000. */
  port?: number;
  /** Seed a demo VPC with two instances. Default: only when local mode starts its own emulator. */
  seed?: boolean;
  /** Where readable event lines go. */
  log?: (line: string) => void;
  /** How often (real time) due schedules and the sweeper are checked. */
  tickMs?: number;
  /** Extra sinks for session events (Slack, webhooks), beside the readable log. */
  notifiers?: Notifier[];
}

export interface LocalApp {
  url: string;
  emulator: string;
  /** The PID of the moto server local mode started, if it started one. */
  emulatorPid?: number;
  world?: DemoWorld & Partial<AgentDemo> & { members?: MemberDemo[] };
  deps: Deps;
  clock: VirtualClock;
  advance(minutes: number): Promise<AdvanceReport>;
  stop(): Promise<void>;
}

const sweepIntervalMs = () => Number(process.env.SWEEP_INTERVAL_MINUTES ?? 5) * 60_000;

/** moto as AWS: the one given in AWS_ENDPOINT_URL, or one started (and later stopped) here. */
async function emulatorFor(): Promise<{ endpoint: string; moto?: MotoServer }> {
  process.env.AWS_REGION ??= "us-east-1";
  process.env.AWS_ACCESS_KEY_ID ??= "local";
  process.env.AWS_SECRET_ACCESS_KEY ??= "local";
  const external = process.env.AWS_ENDPOINT_URL || undefined;
  if (external) return { endpoint: external };
  // AWS managed policies (AmazonSSMManagedInstanceCore) for the demo's instance profile.
  const moto = await startMoto({ env: { MOTO_IAM_LOAD_MANAGED_POLICIES: "true" } });
  return { endpoint: moto.endpoint, moto };
}

/** The demo: a VPC with two instances, plus the agent model's cut-off and profile-less ones, and a VPC in each member account. */
async function seedDemo(config: Config): Promise<DemoWorld & Partial<AgentDemo> & { members: MemberDemo[] }> {
  const { region } = config;
  const ec2 = new EC2Client({ region });
  const world = await seedWorld(ec2, { region });
  return { ...world, ...(await seedAgentDemo(ec2, new IAMClient({ region }), world)), members: await seedMemberDemos(config) };
}

async function listen(server: Server, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * moto cannot answer SSM's agent calls: a model of each instance's agent does (the hub's and the
 * member accounts'), behind a front that every client of local mode talks to (local/agent/).
 */
function agentsFor(config: Config, motoEndpoint: string, clock: VirtualClock, say: (line: string) => void) {
  return startAgentModel({
    motoEndpoint,
    clock: clock.now,
    onEvent: (event) => say(`agent ${event.event === "online" ? "online" : "lost its connection"}: ${event.instanceId}`),
    onProblem: (problem) => say(`agent model: ${problem}`),
    memberAccounts: memberAccountsOf(config).map((accountId) => ({
      accountId,
      credentials: (endpoint: string) => memberCredentials(config, accountId, endpoint),
    })),
  });
}

/**
 * The whole service on one machine: moto as AWS (started here unless AWS_ENDPOINT_URL is set),
 * the real handlers behind an HTTP server shaped like the HTTP API, a virtual clock, a local
 * scheduler that fires due schedules, the sweeper on its interval, and stack status events.
 */
export async function startLocal(options: LocalOptions = {}): Promise<LocalApp> {
  const log = options.log ?? ((line: string) => console.log(line));
  // Emulated instances only: the demo lets restartAgent reboot them unless told otherwise.
  process.env.ALLOW_REBOOT ??= "true";
  // Read before anything starts (a bad setting starts nothing): the agent model watches the
  // member accounts' instances too.
  const config = loadConfig(process.env);
  const { endpoint, moto } = await emulatorFor();
  const clock = new VirtualClock();
  const say = (line: string) => log(`[${isoSeconds(clock.now())}] ${line}`);
  // moto cannot answer SSM's agent calls: a model of each instance's agent does, behind a front
  // that every client of local mode talks to (local/agent/).
  const agents = await agentsFor(config, endpoint, clock, say);
  // Restored on stop: an in-process user (the bench) goes on talking to its emulator.
  const endpointBefore = process.env.AWS_ENDPOINT_URL;
  process.env.AWS_ENDPOINT_URL = agents.endpoint;
  try {
    const sinks = [...(options.notifiers ?? [])];
    // Every AWS call recorded, under the function that makes it in AWS, for the IAM simulation.
    const callLog = process.env.SSM_KNOCK_AWS_CALL_LOG || undefined;
    const clients = callLog ? recordedClients(config, callLog) : undefined;
    const deps = createDeps({ config, clock: clock.now, notifier: lineNotifier(say, sinks), clients });
    // Slack and webhooks (SLACK_WEBHOOK_URL, WEBHOOK_URL, WEBHOOK_SECRET from the environment),
    // delivered in the background as the notify function does in AWS.
    const integrations = backgroundNotifier(
      (event) => asFunction("notify", () => handleSessionEvent(deps, envSecrets(), event)),
      deps.logger,
    );
    sinks.push(integrations);
    const home = deps.clients(config.region);
    await runAs("deployment", () => ensureGroup(home.scheduler, config.scheduleGroup));
    const world = (options.seed ?? Boolean(moto)) ? await seedDemo(config) : undefined;
    // The agents of the world as seeded, before the first request asks SSM about them.
    await agents.advanceTo(clock.now());

    const getDeps = () => deps;
    // Slack jobs run in this process (the slack-worker function's part in AWS).
    const slackJobs = backgroundDeferrer((job) => asFunction("slackWorker", () => runSlackJob(deps, job)), deps.logger);
    const slack = lazySlackDeps(getDeps, () => slackJobs.defer);
    const expire = expireHandler(getDeps);
    const notifyExpiring = notifyExpiringHandler(getDeps);
    const readiness = readinessHandler(getDeps);
    const sweeper = sweepHandler(getDeps);
    // Each timer's target, and the sweeper, run as the function serverless.yml names.
    const targets = new Map<string, Target>([
      [config.expireFunctionArn, (input) => asFunction("expire", (context) => expire(input, context))],
      [config.notify.warnFunctionArn, (input) => asFunction("notifyExpiring", (context) => notifyExpiring(input, context))],
      [config.readiness.functionArn, (input) => asFunction("readiness", (context) => readiness(input, context))],
    ]);
    const scheduler = new LocalScheduler(home.scheduler, config.scheduleGroup, targets);
    const watcher = new StackWatcher(deps, say);
    const settle = () => integrations.settled();
    const sweep = () => asFunction("sweep", (context) => sweeper({}, context));
    const time = new TimeMachine({ clock, scheduler, watcher, agents, settle, sweep, sweepIntervalMs: sweepIntervalMs(), say });

    const server = createServer(router(localRoutes(getDeps, slack, clock, time)));
    const url = await listen(server, options.port ?? Number(process.env.PORT ?? 3000));
    const ticker = setInterval(() => {
      time.tick().catch((error) => say(`tick failed: ${(error as Error).message}`));
    }, options.tickMs ?? 2000);

    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      clearInterval(ticker);
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      await time.idle();
      await integrations.settled();
      await slackJobs.settled();
      await agents.stop();
      await moto?.stop();
      process.env.AWS_ENDPOINT_URL = endpointBefore;
    };
    return { url, emulator: endpoint, emulatorPid: moto?.pid, world, deps, clock, advance: (minutes) => time.advance(minutes), stop };
  } catch (error) {
    await agents.stop();
    await moto?.stop();
    throw error;
  }
}
