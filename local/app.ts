import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { EC2Client } from "@aws-sdk/client-ec2";
import { createHandler as closeHandler } from "../functions/close.js";
import { createHandler as expireHandler } from "../functions/expire.js";
import { createHandler as extendHandler } from "../functions/extend.js";
import { createHandler as getHandler } from "../functions/get.js";
import { createHandler as listHandler } from "../functions/list.js";
import { createHandler as notifyExpiringHandler } from "../functions/notify-expiring.js";
import { createHandler as openHandler } from "../functions/open.js";
import { createHandler as slackCommandsHandler } from "../functions/slack-commands.js";
import { createHandler as slackInteractionsHandler } from "../functions/slack-interactions.js";
import { loadConfig } from "../lib/config.js";
import { createDeps, type Deps } from "../lib/deps.js";
import { json } from "../lib/http.js";
import { KeyedLock } from "../lib/lock.js";
import type { Notifier, SessionEvent } from "../lib/notifications.js";
import { BackgroundNotifier } from "../lib/notify/notifiers.js";
import { handleSessionEvent } from "../lib/notify/pipeline.js";
import { envSecrets } from "../lib/notify/secrets.js";
import { ensureGroup } from "../lib/schedules.js";
import { BackgroundDeferrer, runSlackJob } from "../lib/slack/jobs.js";
import { lazySlackDeps } from "../lib/slack/wiring.js";
import { type SweepSummary, sweep } from "../lib/sweep.js";
import { isoSeconds } from "../lib/time.js";
import { attributed, recordedClients, runAs } from "./aws-call-log.js";
import { VirtualClock } from "./clock.js";
import { localContext, type Route, router } from "./http.js";
import { type MotoServer, startMoto } from "./moto.js";
import { type Fired, LocalScheduler, type Target } from "./scheduler.js";
import { type DemoWorld, seedWorld } from "./seed.js";
import { StackWatcher } from "./watcher.js";

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

export interface AdvanceReport {
  from: string;
  to: string;
  fired: Fired[];
  /** How many times the sweeper ran, and the runs that did something. */
  sweepRuns: number;
  sweeps: (SweepSummary & { at: string })[];
}

export interface LocalApp {
  url: string;
  emulator: string;
  /** The PID of the moto server local mode started, if it started one. */
  emulatorPid?: number;
  world?: DemoWorld;
  deps: Deps;
  clock: VirtualClock;
  advance(minutes: number): Promise<AdvanceReport>;
  stop(): Promise<void>;
}

const actedOn = (s: SweepSummary) =>
  s.expiredDeleted + s.failedDeleted + s.deleteRetried + s.schedulesRemoved + s.schedulesRecreated + s.errors > 0;

const SWEEP_INTERVAL_MS = () => Number(process.env.SWEEP_INTERVAL_MINUTES ?? 5) * 60_000;

function describeEvent(event: SessionEvent): string {
  const s = event.session;
  switch (event.type) {
    case "session.opened":
      return `session opened: ${s.id} (${s.region}) by ${event.actor}, expires ${s.expiresAt}${s.connect ? ` - ${s.connect}` : ""}`;
    case "session.extended":
      return `session extended: ${s.id} by ${event.actor}, now expires ${s.expiresAt}`;
    case "session.closed":
      return `session closed: ${s.id} (${event.reason}${event.reason === "closed" ? ` by ${event.actor}` : ""})`;
    case "session.failed":
      return `session failed: ${s.id}: ${event.reason ?? s.stackStatus}`;
    case "session.ready":
      return `session ready: ${s.id}`;
    case "session.expiring":
      return `session expiring: ${s.id} at ${s.expiresAt}`;
  }
}

/**
 * The whole service on one machine: moto as AWS (started here unless AWS_ENDPOINT_URL is set),
 * the real handlers behind an HTTP server shaped like the HTTP API, a virtual clock, a local
 * scheduler that fires due schedules, the sweeper on its interval, and stack status events.
 */
export async function startLocal(options: LocalOptions = {}): Promise<LocalApp> {
  const log = options.log ?? ((line: string) => console.log(line));
  process.env.AWS_REGION ??= "us-east-1";
  process.env.AWS_ACCESS_KEY_ID ??= "local";
  process.env.AWS_SECRET_ACCESS_KEY ??= "local";
  const external = process.env.AWS_ENDPOINT_URL || undefined;
  const moto: MotoServer | undefined = external ? undefined : await startMoto();
  const emulator = external ?? (moto as MotoServer).endpoint;
  process.env.AWS_ENDPOINT_URL = emulator;

  try {
    const clock = new VirtualClock();
    const stamp = () => `[${isoSeconds(clock.now())}]`;
    const say = (line: string) => log(`${stamp()} ${line}`);
    const sinks = [...(options.notifiers ?? [])];
    const notifier: Notifier = {
      notify: async (event) => {
        say(describeEvent(event));
        await Promise.all(sinks.map((sink) => sink.notify(event)));
      },
    };
    const config = loadConfig(process.env);
    // Every AWS call recorded, under the function that makes it in AWS, for the IAM simulation.
    const callLog = process.env.SSM_KNOCK_AWS_CALL_LOG || undefined;
    const clients = callLog ? recordedClients(config, callLog) : undefined;
    const deps = createDeps({ config, clock: clock.now, notifier, clients });
    // Slack and webhooks (SLACK_WEBHOOK_URL, WEBHOOK_URL, WEBHOOK_SECRET from the environment),
    // delivered in the background as the notify function does in AWS. Ready/failed come from the
    // stack watcher below, so the pipeline does not watch stacks itself.
    const integrations = new BackgroundNotifier(
      attributed("notify", (event) => handleSessionEvent(deps, envSecrets(), event)),
      deps.logger,
    );
    sinks.push(integrations);
    const home = deps.clients(config.region);
    await runAs("deployment", () => ensureGroup(home.scheduler, config.scheduleGroup));
    const world =
      (options.seed ?? !external) ? await seedWorld(new EC2Client({ region: config.region }), { region: config.region }) : undefined;

    const d = () => deps;
    const expire = attributed("expire", expireHandler(d));
    const notifyExpiring = attributed("notifyExpiring", notifyExpiringHandler(d));
    // Slack jobs run in this process (the slack-worker function's part in AWS).
    const slackJobs = new BackgroundDeferrer(
      attributed("slackWorker", (job) => runSlackJob(deps, job)),
      deps.logger,
    );
    const slack = lazySlackDeps(d, () => slackJobs.defer);
    const targets = new Map<string, Target>([
      [config.expireFunctionArn, (input) => expire(input, localContext("expire"))],
      [config.notify.warnFunctionArn, (input) => notifyExpiring(input, localContext("notify-expiring"))],
    ]);
    const scheduler = new LocalScheduler(home.scheduler, config.scheduleGroup, targets);
    const watcher = new StackWatcher(deps, say);
    const serial = new KeyedLock();
    let lastSweep = clock.now();

    const runSweep = async () => {
      const summary = await runAs("sweep", () => sweep(deps));
      lastSweep = clock.now();
      if (actedOn(summary)) say(`sweeper: ${JSON.stringify(summary)}`);
      return { ...summary, at: isoSeconds(clock.now()) };
    };
    const fire = async (due?: Awaited<ReturnType<LocalScheduler["pending"]>>) => {
      const fired = await runAs("eventbridge-scheduler", () => scheduler.fireDue(clock.now(), due));
      for (const f of fired) say(`schedule fired: ${f.schedule} -> ${f.error ? `error: ${f.error}` : JSON.stringify(f.result)}`);
      return fired;
    };

    /** Real-time tick: whatever came due on the (real-time advancing) virtual clock. */
    const tick = () =>
      serial.run("clock", async () => {
        await fire();
        if (clock.now().getTime() - lastSweep.getTime() >= SWEEP_INTERVAL_MS()) await runSweep();
        await runAs("cloudformation-events", () => watcher.poll());
      });

    /** Moves the clock forward event by event, so each timer fires at its own instant. */
    const advance = (minutes: number) =>
      serial.run("clock", async () => {
        const from = clock.now();
        const target = new Date(from.getTime() + minutes * 60_000);
        const report: AdvanceReport = { from: isoSeconds(from), to: isoSeconds(target), fired: [], sweepRuns: 0, sweeps: [] };
        const failed = new Set<string>();
        for (let step = 0; step < 10_000; step++) {
          const pending = (await runAs("eventbridge-scheduler", () => scheduler.pending())).filter((s) => !failed.has(s.name));
          const nextSweep = new Date(lastSweep.getTime() + SWEEP_INTERVAL_MS());
          const next = new Date(Math.min(pending[0]?.at.getTime() ?? Number.POSITIVE_INFINITY, nextSweep.getTime()));
          if (next > target) break;
          clock.advanceTo(next);
          const fired = await fire(pending);
          for (const f of fired) if (f.error) failed.add(f.schedule);
          report.fired.push(...fired);
          if (clock.now() >= nextSweep) {
            const run = await runSweep();
            report.sweepRuns += 1;
            if (actedOn(run)) report.sweeps.push(run);
          }
          await runAs("cloudformation-events", () => watcher.poll());
        }
        clock.advanceTo(target);
        await runAs("cloudformation-events", () => watcher.poll());
        return report;
      });

    const routes: Route[] = [
      { method: "POST", path: "/sessions", handler: attributed("open", openHandler(d)) },
      { method: "GET", path: "/sessions", handler: attributed("list", listHandler(d)) },
      { method: "GET", path: "/sessions/{id}", handler: attributed("get", getHandler(d)) },
      { method: "POST", path: "/sessions/{id}/extend", handler: attributed("extend", extendHandler(d)) },
      { method: "DELETE", path: "/sessions/{id}", handler: attributed("close", closeHandler(d)) },
      // Slack signs its requests (SLACK_SIGNING_SECRET); these routes ignore x-ssm-knock-user.
      { method: "POST", path: "/slack/commands", handler: attributed("slackCommands", slackCommandsHandler(d, slack)) },
      { method: "POST", path: "/slack/interactions", handler: attributed("slackInteractions", slackInteractionsHandler(d, slack)) },
      {
        method: "POST",
        path: "/local/advance",
        handler: async (event) => {
          const minutes = Number((JSON.parse(event.body || "{}") as { minutes?: unknown }).minutes);
          if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 60 * 24 * 30) {
            return json(400, { error: { code: "invalid_request", message: 'Send {"minutes": N} with 0 < N <= 43200.', field: "minutes" } });
          }
          return json(200, await advance(minutes));
        },
      },
      { method: "GET", path: "/local/clock", handler: async () => json(200, { now: isoSeconds(clock.now()) }) },
    ];

    const server: Server = createServer(router(routes));
    const port = options.port ?? Number(process.env.PORT ?? 3000);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const ticker = setInterval(() => {
      tick().catch((error) => say(`tick failed: ${(error as Error).message}`));
    }, options.tickMs ?? 2000);

    let stopped = false;
    return {
      url,
      emulator,
      emulatorPid: moto?.pid,
      world,
      deps,
      clock,
      advance,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        clearInterval(ticker);
        const closed = new Promise((resolve) => server.close(resolve));
        server.closeAllConnections();
        await closed;
        await serial.run("clock", async () => undefined);
        await integrations.settled();
        await slackJobs.settled();
        await moto?.stop();
      },
    };
  } catch (error) {
    await moto?.stop();
    throw error;
  }
}
