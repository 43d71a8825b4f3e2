#!/usr/bin/env node
// Bundles the CLI (cli/ssm-knock.ts) into one file, dist/ssm-knock.cjs, package.json's bin: one
// file to load is what makes it start fast. Run by `npm run build:cli`, by `prepare` (npm ci and
// npm install run it in this clone, so `npx ssm-knock` works right after), and by the tests.
import { chmodSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import plugins from "../esbuild-plugins.cjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const outfile = `${root}dist/ssm-knock.cjs`;
await build({
  entryPoints: [`${root}cli/ssm-knock.ts`],
  outfile,
  bundle: true,
  platform: "node",
  // CommonJS, measured 20 ms faster to start than the same bundle as an ES module: importing
  // node:http as an ES module builds its facade, which loads Node's fetch (undici) as well.
  // The SDK's ES modules are what is bundled (mainFields), so it tree-shakes all the same.
  format: "cjs",
  target: "node22",
  mainFields: ["module", "main"],
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  // The Lambdas' schema trimming (esbuild-plugins.cjs) keeps only the EC2 shapes DescribeInstances
  // reaches; the CLI keeps every credential provider (SSO, profiles, processes), unlike a Lambda.
  plugins: plugins.filter((plugin) => plugin.name === "trim-aws-sdk-schemas"),
  banner: { js: "#!/usr/bin/env node" },
});
chmodSync(outfile, 0o755);
