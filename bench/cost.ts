import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { EC2Client, type Tag } from "@aws-sdk/client-ec2";
import { SSMClient } from "@aws-sdk/client-ssm";
import { parseDuration } from "../lib/core/duration.js";
import type { Bill } from "../lib/core/session.js";
import type { SessionEvent } from "../lib/core/session-events.js";
import { runInstance } from "../local/agent/seed.js";
import { AGENT_TAGS } from "../local/agent/tags.js";
import { startLocal } from "../local/app.js";
import { startMoto } from "../local/moto.js";
import { seedWorld } from "../local/seed.js";
import { routeThroughNat, writePreferences } from "../local/seed-egress.js";
import type { Row } from "./table.js";

// `npm run bench:cost` (or part of `npm run bench`): what a fixed mix of sessions costs with
// ssm-knock's choices (issue 16) beside the fixed three-endpoint design of the original template,
// measured end to end in local mode (moto, the SSM Agent model, the real handlers, the virtual
// clock): each session is opened over HTTP, expires on its timer, and its bill is read from the
// session.closed event. The original template creates ssm, ssmmessages and ec2messages whatever
// the instance, for the same span. Figures go to bench/results/cost.json.

export interface CostScenario {
  name: string;
  /** The instance's agent: a version SSM knows (ConnectionLost for 6 h), or one it never saw. */
  agent: { version: string; knownToSsm: boolean };
  /** Session Manager preferences that stream to CloudWatch Logs and encrypt with KMS. */
  preferences: boolean;
  /** The instance's subnet routes 0.0.0.0/0 to a NAT gateway. */
  nat: boolean;
}

const NEW = { version: "3.3.1000.0", knownToSsm: true };
const OLD = { version: "3.2.0.0", knownToSsm: true };
const UNSEEN = { version: "3.3.1000.0", knownToSsm: false };

/** The mix: agents old, new and unseen; preferences off and on (account-wide: those sessions open last); NAT and not. */
export const MIX: CostScenario[] = [
  { name: "new agent", agent: NEW, preferences: false, nat: false },
  { name: "old agent", agent: OLD, preferences: false, nat: false },
  { name: "agent SSM never saw", agent: UNSEEN, preferences: false, nat: false },
  { name: "new agent, NAT subnet", agent: NEW, preferences: false, nat: true },
  { name: "old agent, NAT subnet", agent: OLD, preferences: false, nat: true },
  { name: "new agent, logs+KMS preferences", agent: NEW, preferences: true, nat: false },
  { name: "old agent, logs+KMS preferences", agent: OLD, preferences: true, nat: false },
  { name: "new agent, logs+KMS preferences, NAT subnet", agent: NEW, preferences: true, nat: true },
];

const ORIGINAL_ENDPOINTS = 3;
/** The brief's Tokyo price, beside the configured (us-east-1) one local mode bills at (moto has no Price List). */
const TOKYO_USD = 0.014;

export interface SessionCost {
  scenario: string;
  outcome: "created" | "already reachable";
  endpoints: string[];
  ssmKnock: { endpointHours: number; usd: number };
  original: { endpointHours: number; usd: number };
  /** The original template's three endpoints serve this session (not with logs or KMS preferences and no NAT). */
  originalWorks: boolean;
}

export interface CostFigures {
  ttl: string;
  pricePerEndpointHourUsd: number;
  priceSource: string;
  startedHours: number;
  sessions: SessionCost[];
  total: { ssmKnock: { endpointHours: number; usd: number }; original: { endpointHours: number; usd: number } };
  table: string;
}

const round = (usd: number) => Math.round(usd * 10_000) / 10_000;

/** A VPC of its own for the scenario: one instance with that agent, in a subnet routed to a NAT gateway or not. */
async function seedScenario(ec2: EC2Client, scenario: CostScenario, index: number) {
  const world = await seedWorld(ec2, { region: "us-east-1", instances: 0, cidr: `10.${60 + index}.0.0/16` });
  const tags: Tag[] = [{ Key: AGENT_TAGS.version, Value: scenario.agent.version }];
  if (scenario.agent.knownToSsm) tags.push({ Key: AGENT_TAGS.offlineFor, Value: "6h" });
  const instanceId = await runInstance(ec2, world, { tags });
  if (scenario.nat) await routeThroughNat(ec2, world);
  return { vpcId: world.vpcId, instanceId };
}

interface OpenedSession {
  endpoints: { service: string }[];
  priceSource: string;
}

async function open(url: string, scenario: CostScenario, instanceId: string, ttl: string): Promise<OpenedSession | undefined> {
  const response = await fetch(`${url}/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-ssm-knock-user": "bench" },
    body: JSON.stringify({ instanceId, ttl, reason: `cost bench: ${scenario.name}` }),
  });
  const body = (await response.json()) as { session?: OpenedSession };
  if (![200, 202].includes(response.status)) throw new Error(`${scenario.name}: HTTP ${response.status} ${JSON.stringify(body)}`);
  return body.session;
}

/** Opens every session of the mix, lets each expire, and reads the bills. moto must be at `motoEndpoint`, freshly reset. */
export async function measureCost(options: { motoEndpoint: string; ttl?: string; mix?: CostScenario[] }): Promise<CostFigures> {
  const ttl = options.ttl ?? "2h";
  const mix = options.mix ?? MIX;
  const closed: SessionEvent[] = [];
  const endpoint = process.env.AWS_ENDPOINT_URL;
  process.env.AWS_ENDPOINT_URL = options.motoEndpoint;
  const app = await startLocal({
    port: 0,
    seed: false,
    log: () => undefined,
    tickMs: 24 * 3_600_000,
    notifiers: [{ notify: async (event) => void (event.type === "session.closed" && closed.push(event)) }],
  });
  try {
    // Through local mode's front, so the agent model sees every instance as it is made.
    const ec2 = new EC2Client({ region: "us-east-1" });
    const ssm = new SSMClient({ region: "us-east-1" });
    const seeded = [];
    for (const [index, scenario] of mix.entries()) seeded.push({ scenario, ...(await seedScenario(ec2, scenario, index)) });
    // A minute of virtual time: the agent model looks at the world, so SSM knows the agents tagged as known.
    await app.advance(1);
    const opened: Opened[] = [];
    for (const { scenario, vpcId, instanceId } of [...seeded].sort(
      (a, b) => Number(a.scenario.preferences) - Number(b.scenario.preferences),
    )) {
      if (scenario.preferences && !opened.some((o) => o.scenario.preferences)) {
        await writePreferences(ssm, {
          cloudWatchLogGroupName: "/ssm/sessions",
          cloudWatchStreamingEnabled: true,
          kmsKeyId: "alias/ssm-sessions",
        });
      }
      opened.push({ scenario, vpcId, session: await open(app.url, scenario, instanceId, ttl) });
    }
    // Past every expiry (rounded up to the minute): each timer fires at its own instant.
    await app.advance(Math.ceil((parseDuration(ttl) ?? 0) / 60_000) + 10);
    return figures(ttl, opened, closed);
  } finally {
    await app.stop();
    process.env.AWS_ENDPOINT_URL = endpoint;
  }
}

interface Opened {
  scenario: CostScenario;
  vpcId: string;
  session?: OpenedSession;
}

function figures(ttl: string, opened: Opened[], closed: SessionEvent[]): CostFigures {
  const bills = new Map<string, Bill>(closed.flatMap((event) => (event.bill ? [[event.session.vpcId, event.bill] as const] : [])));
  const anyBill = [...bills.values()][0];
  if (!anyBill) throw new Error("no session.closed carried a bill");
  const price = anyBill.pricePerEndpointHourUsd;
  // The original template, up for the same span as ssm-knock's sessions (their expiry included).
  const startedHours = Math.max(...[...bills.values()].map((bill) => bill.startedHours));
  const sessions = opened.map(({ scenario, vpcId, session }): SessionCost => {
    const bill = bills.get(vpcId);
    if (session && !bill) throw new Error(`${scenario.name}: opened, but no bill arrived`);
    const originalHours = ORIGINAL_ENDPOINTS * startedHours;
    return {
      scenario: scenario.name,
      outcome: session ? "created" : "already reachable",
      endpoints: session?.endpoints.map((e) => e.service) ?? [],
      ssmKnock: { endpointHours: bill?.endpointHours ?? 0, usd: bill?.usd ?? 0 },
      original: { endpointHours: originalHours, usd: round(originalHours * price) },
      // Behind a NAT gateway the agent reaches logs and KMS without endpoints.
      originalWorks: !scenario.preferences || scenario.nat,
    };
  });
  const sum = (pick: (s: SessionCost) => { endpointHours: number; usd: number }) => ({
    endpointHours: sessions.reduce((total, s) => total + pick(s).endpointHours, 0),
    usd: round(sessions.reduce((total, s) => total + pick(s).usd, 0)),
  });
  const total = { ssmKnock: sum((s) => s.ssmKnock), original: sum((s) => s.original) };
  const priceSource = opened.find((o) => o.session)?.session?.priceSource ?? "configured";
  return { ttl, pricePerEndpointHourUsd: price, priceSource, startedHours, sessions, total, table: costTable(sessions, total, ttl) };
}

const cell = (cost: { endpointHours: number; usd: number }) =>
  `${cost.endpointHours} (USD ${cost.usd.toFixed(2)}; Tokyo ${(cost.endpointHours * TOKYO_USD).toFixed(3)})`;

function costTable(sessions: SessionCost[], total: CostFigures["total"], ttl: string): string {
  const lines = [
    `| session (TTL ${ttl}) | ssm-knock creates | ssm-knock: endpoint-hours (USD) | original template: endpoint-hours (USD) |`,
    "| --- | --- | --- | --- |",
    ...sessions.map((s) => {
      const original = `${cell(s.original)}${s.originalWorks ? "" : "; sessions hang: no logs, kms endpoints"}`;
      return `| ${s.scenario} | ${s.endpoints.join(", ") || `nothing (${s.outcome})`} | ${cell(s.ssmKnock)} | ${original} |`;
    }),
    `| **all ${sessions.length}** | | **${cell(total.ssmKnock)}** | **${cell(total.original)}** |`,
  ];
  return lines.join("\n");
}

/** The bench table's lines (bench/run.ts): the mix's totals beside the original template's. */
export function costRows(cost: CostFigures): Row[] {
  const per = (value: number) => (value / cost.sessions.length).toFixed(2);
  return [
    {
      measure: `cost: ${cost.sessions.length} sessions of ${cost.ttl} (bench/cost.ts mix): endpoint-hours`,
      real: `${cost.total.ssmKnock.endpointHours} (${per(cost.total.ssmKnock.endpointHours)} per session)`,
      naive: `${cost.total.original.endpointHours} (${per(cost.total.original.endpointHours)}; original template)`,
    },
    {
      measure: `cost: the mix in USD at ${cost.pricePerEndpointHourUsd}/endpoint-hour (${cost.priceSource})`,
      real: `${cost.total.ssmKnock.usd.toFixed(2)}`,
      naive: `${cost.total.original.usd.toFixed(2)}`,
    },
  ];
}

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Writes the figures where the README quotes them from. */
export function writeCostResults(cost: CostFigures): string {
  const file = join(ROOT, "bench/results/cost.json");
  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), ...cost }, null, 2)}\n`);
  return file;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
  Object.assign(process.env, { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "bench", AWS_SECRET_ACCESS_KEY: "bench" });
  const moto = await startMoto();
  try {
    const cost = await measureCost({ motoEndpoint: moto.endpoint });
    console.log(cost.table);
    console.error(`bench: wrote ${writeCostResults(cost)}`);
  } finally {
    await moto.stop();
  }
}
