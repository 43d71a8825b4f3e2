import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startMoto } from "../local/moto.js";
import { packageFunctions, serverlessState } from "./bundles.js";
import { measureSweeps, sweepRows, sweepSettings } from "./sweep-bench.js";
import { renderTable } from "./table.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const REGION = "us-east-1";
const say = (line: string) => console.error(`bench: ${line}`);
const loadBefore = loadavg();
const work = mkdtempSync(join(tmpdir(), "ssm-knock-bench-sweep-"));
const settings = sweepSettings();

say("packaging (npm run package) for the sweep function's memory and timeout");
packageFunctions(ROOT, work);
const sweepFunction = serverlessState(ROOT).service as unknown as {
  functions: Record<string, { memorySize?: number; timeout?: number }>;
  provider: { memorySize?: number; timeout?: number };
};
const fn = {
  memoryMb: Number(sweepFunction.functions.sweep?.memorySize ?? sweepFunction.provider.memorySize ?? 1024),
  timeoutS: Number(sweepFunction.functions.sweep?.timeout ?? sweepFunction.provider.timeout ?? 6),
};

const moto = await startMoto();
Object.assign(process.env, {
  AWS_ENDPOINT_URL: moto.endpoint,
  AWS_REGION: REGION,
  AWS_ACCESS_KEY_ID: "bench",
  AWS_SECRET_ACCESS_KEY: "bench",
});
try {
  const figures = await measureSweeps({ root: ROOT, workDir: work, motoEndpoint: moto.endpoint, region: REGION, settings, say });
  const rows = sweepRows(figures, settings, fn);
  const table = renderTable(rows);
  console.log(table);
  const failed = rows.filter((row) => row.check && !row.check.pass).length;
  console.log(failed ? `\n${failed} budget(s) FAIL` : "\nevery budget passes");
  const result = {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, loadavgBefore: loadBefore, loadavgAfter: loadavg() },
    settings,
    function: fn,
    ...figures,
    table,
    budgets: rows.filter((row) => row.check).map((row) => ({ measure: row.measure, value: row.real, ...row.check })),
  };
  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(join(ROOT, "bench/results/sweep.json"), `${JSON.stringify(result, null, 2)}\n`);
  say("wrote bench/results/sweep.json");
} finally {
  await moto.stop();
  rmSync(work, { recursive: true, force: true });
}
