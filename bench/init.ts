import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median, percentile } from "./stats.js";

export interface InitTarget {
  name: string;
  file: string;
}

export interface InitFigures {
  name: string;
  /** Median wall time of a fresh `node` process that imports the file and exits. */
  processMs: number;
  /** Median time of the import alone, inside that process. */
  importMs: number;
  /** processMs over the bare process's (which imports an empty handler). */
  ratio: number;
  /**
   * The 25th and 75th percentiles of the same ratio taken round by round (each process over the
   * bare one of its own round): how far one run on this machine can move the figure.
   */
  ratioSpread: [number, number];
  /** processMs over the reference target's (the floor: one SDK client, Powertools, middy), and its spread. */
  overReference?: number;
  referenceSpread?: [number, number];
}

const PROBE = fileURLToPath(new URL("./init-probe.mjs", import.meta.url));

/** The baseline: a handler module with nothing in it. */
export function emptyHandler(workDir: string): InitTarget {
  const dir = join(workDir, "empty");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "handler.mjs");
  writeFileSync(file, "export const handler = async () => ({});\n");
  return { name: "empty handler (bare Node)", file };
}

function runOnce(target: InitTarget, env: NodeJS.ProcessEnv): { processMs: number; importMs: number } {
  const started = performance.now();
  const child = spawnSync(process.execPath, [PROBE, target.file], { env, encoding: "utf8" });
  const processMs = performance.now() - started;
  if (child.status !== 0) throw new Error(`loading ${target.file} failed (${child.status}): ${child.stderr}`);
  return { processMs, importMs: (JSON.parse(child.stdout) as { importMs: number }).importMs };
}

/**
 * Init time of each target in fresh processes, measured side by side: every round runs every
 * target once, in an order that rotates each round, so drift in the machine's load falls on all
 * of them alike. The first (baseline) target is what ratios are relative to.
 */
export function measureInit(
  baseline: InitTarget,
  targets: InitTarget[],
  options: { rounds: number; env: NodeJS.ProcessEnv; reference?: InitTarget },
): InitFigures[] {
  const all = [baseline, ...targets];
  // One unmeasured run each: the first read of a file from disk is not what Lambda pays per init.
  for (const target of all) runOnce(target, options.env);
  const samples = all.map(() => ({ processMs: [] as number[], importMs: [] as number[] }));
  for (let round = 0; round < options.rounds; round++) {
    for (let step = 0; step < all.length; step++) {
      const index = (round + step) % all.length;
      const sample = runOnce(all[index], options.env);
      samples[index].processMs.push(sample.processMs);
      samples[index].importMs.push(sample.importMs);
    }
  }
  const ratioTo = (index: number, to: number): { ratio: number; spread: [number, number] } => {
    const perRound = samples[index].processMs.map((ms, round) => ms / samples[to].processMs[round]);
    return {
      ratio: median(samples[index].processMs) / median(samples[to].processMs),
      spread: [percentile(perRound, 25), percentile(perRound, 75)],
    };
  };
  const referenceIndex = options.reference ? all.indexOf(options.reference) : -1;
  return all.map((target, index) => {
    const overBase = ratioTo(index, 0);
    const overReference = referenceIndex >= 0 ? ratioTo(index, referenceIndex) : undefined;
    return {
      name: target.name,
      processMs: median(samples[index].processMs),
      importMs: median(samples[index].importMs),
      ratio: overBase.ratio,
      ratioSpread: overBase.spread,
      overReference: overReference?.ratio,
      referenceSpread: overReference?.spread,
    };
  });
}
