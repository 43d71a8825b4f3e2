import { execFileSync } from "node:child_process";

/** The e2e tests run the CLI as its users do: the bundle, built fresh from the sources first. */
export function setup() {
  execFileSync(process.execPath, ["scripts/build-cli.mjs"], { stdio: "inherit" });
}
