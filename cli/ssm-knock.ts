import { main } from "../lib/cli/main.js";

// `ssm-knock`: package.json's bin, bundled into dist/ssm-knock.cjs (npm run build:cli).
main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then((code) => {
  process.exitCode = code;
});
