import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The bundled CLI, package.json's bin (built by test/support/cli-build.ts). */
export const CLI = fileURLToPath(new URL("../../dist/ssm-knock.cjs", import.meta.url));

// A stand-in for `aws` (or the plugin): records how it was called, tells the fake API (so the
// order of events can be checked), copies stdin to stdout when asked (a tunnel, as for ssh),
// and exits with the status asked for.
const STAND_IN = `#!/usr/bin/env node
const fs = require("node:fs");
const record = { program: require("node:path").basename(process.argv[1]), argv: process.argv.slice(2), env: { AWS_PROFILE: process.env.AWS_PROFILE, AWS_REGION: process.env.AWS_REGION } };
fs.appendFileSync(process.env.STANDIN_RECORDS, JSON.stringify(record) + "\\n");
const finish = () => process.exit(Number(process.env.STANDIN_EXIT || 0));
const notify = process.env.STANDIN_NOTIFY ? fetch(process.env.STANDIN_NOTIFY, { method: "POST", body: JSON.stringify(record) }) : Promise.resolve();
notify.then(() => {
  if (!process.env.STANDIN_ECHO) return finish();
  process.stdin.pipe(process.stdout);
  process.stdin.on("end", finish);
});
`;

export interface StandIns {
  /** PATH for the CLI: the stand-ins and a node, nothing of this machine's (no real aws). */
  path: string;
  records: string;
  calls(): { program: string; argv: string[]; env: Record<string, string | undefined> }[];
}

/** A directory on PATH with a node and, unless left out, `aws` and `session-manager-plugin` stand-ins. */
export function standIns(include: { aws?: boolean; plugin?: boolean } = {}): StandIns {
  const dir = mkdtempSync(join(tmpdir(), "ssm-knock-standins-"));
  symlinkSync(process.execPath, join(dir, "node"));
  for (const [program, wanted] of [
    ["aws", include.aws ?? true],
    ["session-manager-plugin", include.plugin ?? true],
  ] as const) {
    if (!wanted) continue;
    writeFileSync(join(dir, program), STAND_IN);
    chmodSync(join(dir, program), 0o755);
  }
  const records = join(dir, "calls.jsonl");
  return {
    path: dir,
    records,
    calls: () =>
      existsSync(records)
        ? readFileSync(records, "utf8")
            .trim()
            .split("\n")
            .map((line) => JSON.parse(line))
        : [],
  };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** An environment with nothing of the caller's: no credentials, no AWS files, no instance metadata. */
export function cleanEnv(standins: StandIns, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), "ssm-knock-home-"));
  return {
    PATH: standins.path,
    HOME: home,
    AWS_EC2_METADATA_DISABLED: "true",
    SSM_KNOCK_CONFIG: join(home, "none.json"),
    STANDIN_RECORDS: standins.records,
    ...extra,
  };
}

/** Runs the bundled CLI as its own process; `input` is written to its stdin, then closed. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, input?: string): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  child.stdin?.end(input);
  const done = new Promise<CliRun>((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

/** Runs the CLI and waits for it to exit. */
export const cli = (args: string[], env: NodeJS.ProcessEnv, input?: string) => runCli(args, env, input).done;
