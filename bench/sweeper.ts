import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "../lib/runtime/config.js";
import type { SweepSummary } from "../lib/sweep/sweep.js";
import { buildLikeTheService } from "./bundles.js";
import { buildOrgSweepWorld, buildSweepWorld, type SweepWorld } from "./sweep-world.js";

export interface SweepFigures {
  world: SweepWorld;
  wallMs: number;
  summary: SweepSummary;
  calls: number;
  /** STS AssumeRole calls of the member accounts' credentials (not in `calls`). */
  assumeRoleCalls: number;
  attempts: number;
  rounds: number;
  byCommand: Record<string, number>;
  rssBeforeMb: number;
  peakRssMb: number;
  heapBeforeMb: number;
  peakHeapMb: number;
}

const RUNNER = fileURLToPath(new URL("./sweep-run.ts", import.meta.url));

function runSweepProcess(bundle: string, env: NodeJS.ProcessEnv): Promise<Omit<SweepFigures, "world">> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`the sweep process failed (${code}): ${stderr}`));
      else resolve(JSON.parse(stdout) as Omit<SweepFigures, "world">);
    });
  });
}

/**
 * The sweeper over a big account (or, given `org`, over an organization's accounts and regions): builds the world in moto (not measured), then runs the sweep
 * function once in a fresh process with the deployed concurrency and measures that run only.
 * The process runs a bundle built like the Lambda's (same esbuild options) around the sweep
 * handler and the call recorder, so its memory is the function's and not a TypeScript loader's.
 */
export async function measureSweeper(options: {
  root: string;
  workDir: string;
  region: string;
  config: Config;
  /** Per account and region. */
  sessions: number;
  others: number;
  env: NodeJS.ProcessEnv;
  /** An organization: this many accounts (the hub's and members') in these regions, each with the world above. */
  org?: { accounts: number; regions: string[] };
}): Promise<SweepFigures> {
  const bundle = await buildLikeTheService(options.root, RUNNER, join(options.workDir, "sweep-run"), { naive: false });
  const now = new Date();
  if (!options.org) {
    const world = await buildSweepWorld({ ...options, now, concurrency: 6 });
    return { world, ...(await runSweepProcess(bundle, options.env)) };
  }
  const members = Array.from({ length: options.org.accounts - 1 }, (_, index) => String(100_000_000_001 + index));
  const accounts = [options.config.accounts.hub, ...members];
  const world = await buildOrgSweepWorld({ ...options, accounts, regions: options.org.regions, now, concurrency: 6 });
  const env = { ...options.env, ALLOWED_ACCOUNT_IDS: accounts.join(","), ALLOWED_REGIONS: options.org.regions.join(",") };
  return { world, ...(await runSweepProcess(bundle, env)) };
}
