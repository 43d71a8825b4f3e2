#!/usr/bin/env node
// Bundles the CLI (cli/ssm-knock.ts) into one file, dist/ssm-knock.mjs, package.json's bin: one
// file to load is what makes it start fast. Run by `npm run build:cli`, by `prepare` (npm ci and
// npm install run it in this clone, so `npx ssm-knock` works right after), and by the tests.
import { chmodSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import plugins from "../esbuild-plugins.cjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const outfile = `${root}dist/ssm-knock.mjs`;
await build({
  entryPoints: [`${root}cli/ssm-knock.ts`],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  // The SDK's ES modules tree-shake; its CommonJS builds do not.
  mainFields: ["module", "main"],
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  // The Lambdas' schema trimming (esbuild-plugins.cjs) keeps only the EC2 shapes DescribeInstances
  // reaches; the CLI keeps every credential provider (SSO, profiles, processes), unlike a Lambda.
  plugins: plugins.filter((plugin) => plugin.name === "trim-aws-sdk-schemas"),
  // Bundled CommonJS code calls require() for Node's own modules; an ES module has none by itself.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
chmodSync(outfile, 0o755);
