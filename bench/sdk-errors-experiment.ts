// One-off experiment (issue 12): what esbuild-plugins.cjs's removal of the SDK's error
// registrations buys. Builds every function twice with serverless.yml's esbuild options, with the
// plugins as they are and with a copy that keeps the registrations, and measures init over the
// floor side by side. Run after `npm run package`:
//   KEEP_ERRORS_PLUGINS=/tmp/exp/plugins-keep-errors.cjs npx tsx bench/sdk-errors-experiment.ts
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { type BuildOptions, build, type Plugin } from "esbuild";
import { serverlessState } from "./bundles.js";
import { emptyHandler, measureInit } from "./init.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);
const state = serverlessState(ROOT);
const {
  mainFields,
  plugins: _plugins,
  outputFileExtension,
  exclude: _e,
  packager: _p,
  ...common
} = state.service.custom.esbuild as Record<string, unknown>;
const work = mkdtempSync(join(tmpdir(), "sdk-errors-"));
const variants = {
  trimmed: require(join(ROOT, "esbuild-plugins.cjs")) as Plugin[],
  kept: require(String(process.env.KEEP_ERRORS_PLUGINS)) as Plugin[],
};
const entries = Object.entries(state.service.functions).map(([name, fn]) => ({
  name,
  entry: join(ROOT, `${fn.handler.slice(0, fn.handler.lastIndexOf("."))}.ts`),
}));
const targets: { name: string; file: string; bytes: number; gzip: number }[] = [];
for (const [variant, plugins] of Object.entries(variants)) {
  for (const { name, entry } of [...entries, { name: "floor", entry: join(ROOT, "bench/floor/handler.ts") }]) {
    const outdir = join(work, variant, name);
    await build({
      ...(common as BuildOptions),
      mainFields: mainFields as string[],
      plugins,
      entryPoints: [entry],
      outdir,
      outExtension: { ".js": String(outputFileExtension) },
      logLevel: "error",
    });
    const file = join(outdir, entry.slice(entry.lastIndexOf("/") + 1).replace(/\.ts$/, String(outputFileExtension)));
    targets.push({ name: `${variant}:${name}`, file, bytes: statSync(file).size, gzip: gzipSync(readFileSync(file)).length });
  }
}
const floor = targets.find((t) => t.name === "trimmed:floor");
if (!floor) throw new Error("no floor");
const env = { PATH: process.env.PATH, AWS_REGION: "us-east-1", NODE_OPTIONS: "--enable-source-maps" } as NodeJS.ProcessEnv;
const rounds = Number(process.env.ROUNDS ?? 31);
const figures = measureInit(emptyHandler(work), targets.filter((t) => t !== floor).concat([floor]), { rounds, env, reference: floor });
const rows = entries.map(({ name }) => {
  const of = (variant: string) => ({
    target: targets.find((t) => t.name === `${variant}:${name}`),
    init: figures.find((f) => f.name === `${variant}:${name}`),
  });
  const [t, k] = [of("trimmed"), of("kept")];
  return {
    name,
    trimmedBytes: t.target?.bytes,
    keptBytes: k.target?.bytes,
    trimmedOverFloor: t.init?.overReference,
    keptOverFloor: k.init?.overReference,
    trimmedMs: t.init?.processMs,
    keptMs: k.init?.processMs,
  };
});
console.table(
  rows.map((r) => ({
    ...r,
    trimmedOverFloor: r.trimmedOverFloor?.toFixed(2),
    keptOverFloor: r.keptOverFloor?.toFixed(2),
    trimmedMs: r.trimmedMs?.toFixed(1),
    keptMs: r.keptMs?.toFixed(1),
  })),
);
writeFileSync(
  join(ROOT, "bench/results/sdk-error-registrations.json"),
  `${JSON.stringify({ at: new Date().toISOString(), rounds, node: process.version, rows, figures }, null, 2)}\n`,
);
