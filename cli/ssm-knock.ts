import { main } from "../lib/cli/main.js";

// `ssm-knock`: package.json's bin, bundled into dist/ssm-knock.mjs (npm run build:cli).
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
