import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { median, percentile } from "./stats.js";
import { bytes, ms, type Row } from "./table.js";

export interface CliStartupFigure {
  name: string;
  /** Median wall time from spawn to exit. */
  processMs: number;
  /** processMs over bare Node's, and the 25th-75th percentiles of the same ratio round by round. */
  ratio: number;
  ratioSpread: [number, number];
}

export interface CliStartup {
  bundleBytes: number;
  bundleGzipBytes: number;
  rounds: number;
  figures: CliStartupFigure[];
}

/** A process from spawn to exit, in milliseconds; asynchronous, so local mode in this process keeps answering. */
function timed(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      const elapsed = performance.now() - started;
      if (code !== 0) reject(new Error(`node ${args.join(" ")} exited ${code}: ${stderr}`));
      else resolve(elapsed);
    });
  });
}

/**
 * The CLI's start-up beside a bare Node process, side by side: each round runs `node -e ""`,
 * `ssm-knock --help` and `ssm-knock ls` against local mode once each, in an order that rotates,
 * so the machine's load falls on all three alike. `ls` is signed (the bench's environment has
 * credentials), as against a deployed API.
 */
export async function measureCliStartup(options: { root: string; api: string; rounds: number }): Promise<CliStartup> {
  execFileSync(process.execPath, [join(options.root, "scripts/build-cli.mjs")]);
  const cli = join(options.root, "dist/ssm-knock.cjs");
  const home = mkdtempSync(join(tmpdir(), "ssm-knock-bench-cli-"));
  const env = { ...process.env, HOME: home, SSM_KNOCK_CONFIG: join(home, "none.json"), AWS_EC2_METADATA_DISABLED: "true" };
  const kinds = [
    { name: "bare Node (node -e '')", args: ["-e", ""] },
    { name: "ssm-knock --help", args: [cli, "--help"] },
    { name: "ssm-knock ls, local mode (signed)", args: [cli, "ls", "--api", options.api] },
  ];
  for (const kind of kinds) await timed(kind.args, env);
  const samples = kinds.map(() => [] as number[]);
  for (let round = 0; round < options.rounds; round++) {
    for (let step = 0; step < kinds.length; step++) {
      const index = (round + step) % kinds.length;
      samples[index].push(await timed(kinds[index].args, env));
    }
  }
  const figures = kinds.map((kind, index) => {
    const perRound = samples[index].map((value, round) => value / samples[0][round]);
    return {
      name: kind.name,
      processMs: median(samples[index]),
      ratio: median(samples[index]) / median(samples[0]),
      ratioSpread: [percentile(perRound, 25), percentile(perRound, 75)] as [number, number],
    };
  });
  return { bundleBytes: statSync(cli).size, bundleGzipBytes: gzipSync(readFileSync(cli)).length, rounds: options.rounds, figures };
}

/** The bench table's rows: the bundle, then each start-up as a ratio to bare Node (information, no budget). */
export function cliRows(startup: CliStartup): Row[] {
  return [
    { measure: "CLI: bundle bytes (gzip)", real: `${bytes(startup.bundleBytes)} (${bytes(startup.bundleGzipBytes)})` },
    ...startup.figures.map((figure, index) => ({
      measure: `CLI start-up: ${figure.name}`,
      real: index
        ? `${figure.ratio.toFixed(2)}x bare (${figure.ratioSpread[0].toFixed(2)}-${figure.ratioSpread[1].toFixed(2)}): ${ms(figure.processMs)}`
        : `1.00x: ${ms(figure.processMs)}`,
    })),
  ];
}
