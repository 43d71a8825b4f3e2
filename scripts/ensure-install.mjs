#!/usr/bin/env node
// Makes `npm start` and `npm test` work on a fresh clone: installs the locked dependencies when
// node_modules is missing or older than package-lock.json, and checks that moto's server is there.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const marker = "node_modules/.package-lock.json";
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync("package-lock.json").mtimeMs;
if (stale) {
  console.error("ssm-knock: installing the locked dependencies (npm ci)...");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { stdio: "inherit" });
}

const moto = spawnSync("moto_server", ["--help"], { stdio: "ignore" });
if (moto.error) {
  console.error('ssm-knock: moto_server is not on PATH; installing it with pip install "moto[server]"...');
  const pip = spawnSync("python3", ["-m", "pip", "install", "moto[server]"], { stdio: "inherit" });
  if (pip.status !== 0) {
    console.error('ssm-knock: could not install moto; run: pip install "moto[server]"');
    process.exit(1);
  }
}
