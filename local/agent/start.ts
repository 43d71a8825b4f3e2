import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import type { Clock } from "../../lib/core/time.js";
import { KeyedLock } from "../../lib/runtime/lock.js";
import { type FrontRequest, startFront } from "./front.js";
import { type AgentEvent, AgentModel, type AgentView } from "./model.js";
import { describeInstanceInformation, getConnectionStatus, getServiceSetting, type JsonAnswer } from "./ssm-answers.js";
import { observeWorld, type WorldClients } from "./world.js";

export interface AgentModelOptions {
  motoEndpoint: string;
  /** Local mode's virtual clock (VirtualClock.now). */
  clock: Clock;
  /** Regions whose instances get an agent. Default: AWS_REGION, else us-east-1. */
  regions?: string[];
  /** Member accounts whose instances get an agent too (issue 17), each read with credentials
   * that act in it (moto's multi-account support); the hub's are read with local mode's own. */
  memberAccounts?: { accountId: string; credentials: (motoEndpoint: string) => AwsCredentialIdentityProvider }[];
  /** DHMC's role name. Default: $LOCAL_DHMC_ROLE; unset means DHMC is off. */
  dhmcRole?: string;
  /** The jitter's seed: the same seed and the same requests give the same run. */
  seed?: string;
  /** Each event as it happens (for local mode's log). */
  onEvent?: (event: AgentEvent) => void;
  /** Tags that could not be read (the default model is used for them). */
  onProblem?: (problem: string) => void;
}

export interface AgentModelHandle {
  /** The front's URL: local mode's AWS_ENDPOINT_URL. */
  endpoint: string;
  /** Brings the model to `date` (default: the clock's now); returns the events since the last call. */
  advanceTo(date?: Date): Promise<AgentEvent[]>;
  /** What SSM knows of each instance now. */
  views(): Promise<AgentView[]>;
  stop(): Promise<void>;
}

/** The services whose changes can open or close an agent's path (and moto's own API: reset). */
const WORLD_SERVICES = new Set(["ec2", "cloudformation", "iam"]);
const READ_ONLY = /^(Describe|Get|List|Validate|Simulate|Estimate)/;
const ANSWERED = new Set(["DescribeInstanceInformation", "GetConnectionStatus", "GetServiceSetting"]);
const ACCOUNT = "123456789012";
const OBSERVE_EVERY_MS = 2000;

const changesWorld = (request: FrontRequest) =>
  request.service !== undefined && WORLD_SERVICES.has(request.service) && !READ_ONLY.test(request.action ?? "Describe");

/**
 * Local mode's SSM Agent model behind an HTTP front to moto (issue 14): SSM's three unanswerable
 * actions come from the model, RebootInstances restarts an agent, and every request that may
 * change an agent's path brings the model up to its instant first, so each state of the world
 * holds exactly from the request that made it.
 */
export async function startAgentModel(options: AgentModelOptions): Promise<AgentModelHandle> {
  const regions = options.regions ?? [process.env.AWS_REGION ?? "us-east-1"];
  const dhmcRole = options.dhmcRole ?? (process.env.LOCAL_DHMC_ROLE || undefined);
  const own = { accessKeyId: "local", secretAccessKey: "local" };
  const accounts = [{ credentials: own as AwsCredentialIdentityProvider | typeof own }];
  for (const member of options.memberAccounts ?? []) accounts.push({ credentials: member.credentials(options.motoEndpoint) });
  const worlds: WorldClients[] = accounts.flatMap(({ credentials }) =>
    regions.map((region) => {
      const config = { region, endpoint: options.motoEndpoint, credentials };
      return { region, ec2: new EC2Client(config), iam: new IAMClient(config), cloudFormation: new CloudFormationClient(config) };
    }),
  );
  const model = new AgentModel(options.seed ?? "ssm-knock", options.clock());
  const lock = new KeyedLock();
  const pending: AgentEvent[] = [];
  const reported = new Set<string>();
  let staleSince: Date | undefined = options.clock();
  let observedAtMs = 0;

  const emit = (events: AgentEvent[]) => {
    for (const event of events) options.onEvent?.(event);
    pending.push(...events);
  };
  const observe = async (at: Date) => {
    const seen = (await Promise.all(worlds.map((w) => observeWorld(w, dhmcRole, at)))).flat();
    for (const problem of seen.flatMap((i) => i.agent.problems)) {
      if (!reported.has(problem)) options.onProblem?.(problem);
      reported.add(problem);
    }
    emit(model.observe(seen, at));
  };
  /**
   * Runs inside the lock: the world as it stands since it first changed after the last look
   * (several changes in a burst count from the first), then time up to `date`. Reading the
   * emulator's whole world takes about a hundred calls; `soon` lets an SSM answer use a look
   * younger than OBSERVE_EVERY_MS of real time, so a burst of requests (fifty opens at once) does
   * not read it fifty times. Virtual time only moves in advanceTo, which always looks.
   */
  const catchUp = async (date: Date, soon = false) => {
    if (staleSince && !(soon && Date.now() - observedAtMs < OBSERVE_EVERY_MS)) {
      const at = staleSince;
      staleSince = undefined;
      await observe(at);
      observedAtMs = Date.now();
    }
    emit(model.advanceTo(date));
  };

  const answer = (request: FrontRequest): Promise<JsonAnswer | undefined> | undefined => {
    if (request.service !== "ssm" || !ANSWERED.has(request.action ?? "")) return undefined;
    return lock.run("model", async () => {
      await catchUp(options.clock(), true);
      const body = JSON.parse(request.body.toString("utf8") || "{}") as Record<string, unknown>;
      const views = model.views().filter((v) => v.instance.region === request.region);
      if (request.action === "DescribeInstanceInformation") return describeInstanceInformation(body, views);
      if (request.action === "GetConnectionStatus") return getConnectionStatus(body, views);
      return getServiceSetting(body, { region: request.region ?? regions[0], accountId: ACCOUNT, dhmcRole });
    });
  };

  const front = await startFront(options.motoEndpoint, {
    answer: async (request) => answer(request),
    around: async (request, pass) => {
      if (!changesWorld(request)) {
        await pass();
        return;
      }
      await lock.run("model", async () => {
        const at = options.clock();
        // Time up to this change; the world it leaves is read when next needed.
        emit(model.advanceTo(at));
        const status = await pass();
        staleSince ??= at;
        if (status === 200 && request.service === "ec2" && request.action === "RebootInstances") {
          model.reboot(
            [...request.params].filter(([key]) => key.startsWith("InstanceId.")).map(([, id]) => id),
            at,
          );
        }
      });
    },
  });
  await lock.run("model", () => catchUp(options.clock()));

  return {
    endpoint: front.url,
    advanceTo: (date) =>
      lock.run("model", async () => {
        await catchUp(date ?? options.clock());
        return pending.splice(0);
      }),
    views: () => lock.run("model", async () => model.views()),
    stop: async () => {
      await front.stop();
      for (const w of worlds) for (const client of [w.ec2, w.iam, w.cloudFormation]) client.destroy();
    },
  };
}
