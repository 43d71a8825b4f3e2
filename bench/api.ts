import { EC2Client } from "@aws-sdk/client-ec2";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { createHandler as createClose } from "../functions/close.js";
import { createHandler as createExtend } from "../functions/extend.js";
import { createHandler as createOpen } from "../functions/open.js";
import { regionalClients } from "../lib/aws/clients.js";
import { lambdaNotifier } from "../lib/notify/notifiers.js";
import { depsWith } from "../lib/runtime/deps.js";
import type { LocalApp } from "../local/app.js";
import { localContext } from "../local/http.js";
import { seedWorld } from "../local/seed.js";
import { CallRecorder, sequentialRounds } from "./recorder.js";
import { apiEvent } from "./smoke.js";
import { median, percentile } from "./stats.js";

export interface OperationFigures {
  operation: string;
  /** AWS calls per request (median) and sequential round trips (median and the worst seen). */
  calls: number;
  rounds: number;
  roundsMax: number;
  /** The calls of one request in order, e.g. "EC2.DescribeInstances", for the record. */
  path: string[];
  /** Latency through local mode's HTTP API. */
  p50Ms: number;
  p95Ms: number;
  samples: number;
}

const OPERATIONS = ["open", "open (join)", "extend", "close"] as const;
type Operation = (typeof OPERATIONS)[number];

/**
 * Open, join, extend and close, each on a VPC seeded for it, measured two ways side by side:
 * - latency through local mode's HTTP API (the real handlers, moto, local mode's notifier);
 * - AWS calls and sequential round trips of the same requests wired as deployed: the handlers'
 *   own clients and the notifier that hands events to the notify function (an asynchronous
 *   Lambda invocation the action waits for; against moto, where that function does not exist,
 *   still one round trip). Every call is recorded by the SDK middleware on clients used by
 *   nothing else, so local mode's background work is not counted.
 */
export async function measureApi(app: LocalApp, options: { iterations: number; region: string }) {
  const ec2 = new EC2Client({ region: options.region });
  const recorder = new CallRecorder();
  const clients = regionalClients();
  recorder.attach(clients(options.region));
  const lambda = new LambdaClient({ region: options.region, maxAttempts: 2 });
  recorder.attachTo(lambda);
  const deps = depsWith(clients, {
    config: app.deps.config,
    clock: app.deps.clock,
    logger: app.deps.logger,
    notifier: lambdaNotifier(lambda, "ssm-knock-notify", app.deps.logger),
  });
  const handlers = { open: createOpen(() => deps), extend: createExtend(() => deps), close: createClose(() => deps) };

  const latency = new Map<Operation, number[]>(OPERATIONS.map((operation) => [operation, []]));
  const counted = new Map<Operation, { calls: number; rounds: number; path: string[] }[]>(OPERATIONS.map((operation) => [operation, []]));

  const overHttp = async (operation: Operation, method: string, path: string, body: unknown, expected: number) => {
    const started = performance.now();
    const response = await fetch(`${app.url}${path}`, {
      method,
      headers: { "content-type": "application/json", "x-ssm-knock-user": "bench" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    latency.get(operation)?.push(performance.now() - started);
    if (response.status !== expected) throw new Error(`${operation} via local mode: HTTP ${response.status} ${text}`);
  };
  const asDeployed = async (operation: Operation, handler: keyof typeof handlers, event: unknown, expected: number) => {
    const { result, calls } = await recorder.during(() => handlers[handler](event as never, localContext(handler)));
    const status = (result as { statusCode?: number }).statusCode;
    if (status !== expected) throw new Error(`${operation} as deployed: ${JSON.stringify(result)}`);
    const ordered = [...calls].sort((a, b) => a.start - b.start);
    counted.get(operation)?.push({
      calls: calls.length,
      rounds: sequentialRounds(calls),
      path: ordered.map((call) => `${call.service}.${call.command}`),
    });
  };

  for (let run = 0; run < options.iterations; run++) {
    for (const wiring of ["local mode", "as deployed"] as const) {
      const world = await seedWorld(ec2, { region: options.region, instances: 1 });
      const instanceId = world.instanceIds[0];
      const id = world.vpcId;
      if (wiring === "local mode") {
        await overHttp("open", "POST", "/sessions", { instanceId, ttl: "2h", reason: "bench" }, 202);
        await overHttp("open (join)", "POST", "/sessions", { instanceId, ttl: "3h", reason: "bench again" }, 200);
        await overHttp("extend", "POST", `/sessions/${id}/extend`, { ttl: "4h" }, 200);
        await overHttp("close", "DELETE", `/sessions/${id}`, undefined, 202);
      } else {
        await asDeployed("open", "open", apiEvent("POST", "/sessions", { instanceId, ttl: "2h", reason: "bench" }), 202);
        await asDeployed("open (join)", "open", apiEvent("POST", "/sessions", { instanceId, ttl: "3h", reason: "bench again" }), 200);
        await asDeployed("extend", "extend", apiEvent("POST", `/sessions/${id}/extend`, { ttl: "4h" }, id), 200);
        await asDeployed("close", "close", apiEvent("DELETE", `/sessions/${id}`, undefined, id), 202);
      }
    }
  }

  return OPERATIONS.map((operation): OperationFigures => {
    const list = counted.get(operation) ?? [];
    const times = latency.get(operation) ?? [];
    const rounds = list.map((sample) => sample.rounds);
    const worst = list.reduce((a, b) => (b.rounds > a.rounds ? b : a));
    return {
      operation,
      calls: median(list.map((sample) => sample.calls)),
      rounds: median(rounds),
      roundsMax: Math.max(...rounds),
      path: worst.path,
      p50Ms: percentile(times, 50),
      p95Ms: percentile(times, 95),
      samples: times.length,
    };
  });
}
