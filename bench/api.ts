import { EC2Client } from "@aws-sdk/client-ec2";
import type { LocalApp } from "../local/app.js";
import { seedWorld } from "../local/seed.js";
import { type CallRecorder, sequentialRounds } from "./recorder.js";
import { median, percentile } from "./stats.js";

export interface OperationFigures {
  operation: string;
  /** AWS calls per request (median; each run is the same path, so min = max in practice). */
  calls: number;
  /** Sequential round trips per request: the median and the worst seen. */
  rounds: number;
  roundsMax: number;
  /** The calls of one request in order, e.g. "EC2.DescribeInstances", for the record. */
  path: string[];
  p50Ms: number;
  p95Ms: number;
  samples: number;
}

interface Sample {
  ms: number;
  calls: number;
  rounds: number;
  path: string[];
}

/**
 * Open, join, extend and close through local mode's HTTP API (the real handlers) against moto,
 * each on a VPC seeded for it, with every AWS call recorded by the SDK middleware. Latency is
 * measured at the HTTP client, so it includes local mode's HTTP layer and moto's own time.
 */
export async function measureApi(app: LocalApp, recorder: CallRecorder, options: { iterations: number; region: string }) {
  const ec2 = new EC2Client({ region: options.region });
  const samples = new Map<string, Sample[]>();
  const request = async (operation: string, method: string, path: string, body: unknown, expected: number) => {
    const started = performance.now();
    const { result: response, calls } = await recorder.during(async () => {
      const response = await fetch(`${app.url}${path}`, {
        method,
        headers: { "content-type": "application/json", "x-ssm-knock-user": "bench" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, text: await response.text() };
    });
    const ms = performance.now() - started;
    if (response.status !== expected) throw new Error(`${operation}: HTTP ${response.status} ${response.text}`);
    const sample = {
      ms,
      calls: calls.length,
      rounds: sequentialRounds(calls),
      path: calls.sort((a, b) => a.start - b.start).map((call) => `${call.service}.${call.command}`),
    };
    samples.set(operation, [...(samples.get(operation) ?? []), sample]);
  };

  for (let run = 0; run < options.iterations; run++) {
    const world = await seedWorld(ec2, { region: options.region, instances: 1 });
    const instanceId = world.instanceIds[0];
    await request("open", "POST", "/sessions", { instanceId, ttl: "2h", reason: "bench" }, 202);
    await request("open (join)", "POST", "/sessions", { instanceId, ttl: "3h", reason: "bench again" }, 200);
    await request("extend", "POST", `/sessions/${world.vpcId}/extend`, { ttl: "4h" }, 200);
    await request("close", "DELETE", `/sessions/${world.vpcId}`, undefined, 202);
  }

  return [...samples.entries()].map(([operation, list]): OperationFigures => {
    const rounds = list.map((s) => s.rounds);
    const worst = list.reduce((a, b) => (b.rounds > a.rounds ? b : a));
    return {
      operation,
      calls: median(list.map((s) => s.calls)),
      rounds: median(rounds),
      roundsMax: Math.max(...rounds),
      path: worst.path,
      p50Ms: percentile(
        list.map((s) => s.ms),
        50,
      ),
      p95Ms: percentile(
        list.map((s) => s.ms),
        95,
      ),
      samples: list.length,
    };
  });
}
