import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../local/moto.js";
import type { Json } from "./api.js";
import { callLogFile } from "./call-log.js";

export interface LocalProcess {
  url: string;
  emulator: string;
  emulatorPid: number;
  vpcId: string;
  instanceIds: string[];
  /** The demo's instance whose agent lost SSM 6 hours before local mode started. */
  offlineInstanceId: string;
  /** The demo's instance without an instance profile. */
  noProfileInstanceId: string;
  /** The file its JSON logs go to (a fresh one per process). */
  logFile: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/**
 * Starts local mode the way a user does (`npm start` runs the same entry point), as its own
 * process with its own moto server, and reads what it prints.
 */
export async function startLocalProcess(extraArgs: string[] = [], env: Record<string, string> = {}): Promise<LocalProcess> {
  const port = await freePort();
  const logFile = join(mkdtempSync(join(tmpdir(), "ssm-knock-local-")), "ssm-knock.log");
  const args = ["--import", "tsx", "local/main.ts", "--port", String(port), "--log-file", logFile, ...extraArgs];
  const child: ChildProcess = spawn(process.execPath, args, {
    // Its AWS calls are recorded for the IAM simulation (test/calls/), one file per process.
    env: { ...process.env, AWS_ENDPOINT_URL: "", SSM_KNOCK_AWS_CALL_LOG: callLogFile(`local-${port}`), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!output.includes("Ctrl-C stops")) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`local mode did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const find = (pattern: RegExp) => pattern.exec(output)?.[1] ?? "";
  return {
    url: find(/local mode: (http:\/\/127\.0\.0\.1:\d+)/),
    emulator: find(/\(moto\): (http:\/\/127\.0\.0\.1:\d+)/),
    emulatorPid: Number(find(/\(pid (\d+), stopped on exit\)/)),
    vpcId: find(/demo VPC (vpc-[0-9a-f]+)/),
    instanceIds: find(/instances (i-[0-9a-f]+(?:, i-[0-9a-f]+)*)/).split(", "),
    offlineInstanceId: find(/cut off from SSM for 6 hours[^:]*: (i-[0-9a-f]+)/),
    noProfileInstanceId: find(/without an instance profile[^:]*: (i-[0-9a-f]+)/),
    logFile,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** A JSON request to local mode, as curl would send it. */
export async function call(url: string, method: string, path: string, body?: unknown, user = "alice") {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { "content-type": "application/json", "x-ssm-knock-user": user },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
