import { spawn } from "node:child_process";
import { constants } from "node:os";
import which from "which";
import type { PortForward } from "./args.js";
import { CliError } from "./errors.js";

/** What the session is for: a shell, a forwarded port, or ssh's ProxyCommand. */
export type SessionKind = { kind: "shell" } | { kind: "port-forward"; forward: PortForward } | { kind: "ssh"; port: number };

export interface SessionTarget {
  instanceId: string;
  region: string;
  profile?: string;
}

/**
 * The `aws ssm start-session` arguments: the default shell document, AWS-StartPortForwardingSession
 * (or ...ToRemoteHost with a host), or AWS-StartSSHSession. Parameters go as JSON, one argument,
 * so nothing is re-parsed by a shell.
 */
export function startSessionArgs(target: SessionTarget, session: SessionKind): string[] {
  const args = ["ssm", "start-session", "--target", target.instanceId, "--region", target.region];
  if (target.profile) args.push("--profile", target.profile);
  if (session.kind === "port-forward") {
    const { localPort, remotePort, host } = session.forward;
    const parameters: Record<string, string[]> = { portNumber: [String(remotePort)], localPortNumber: [String(localPort)] };
    if (host) parameters.host = [host];
    const document = host ? "AWS-StartPortForwardingSessionToRemoteHost" : "AWS-StartPortForwardingSession";
    args.push("--document-name", document, "--parameters", JSON.stringify(parameters));
  }
  if (session.kind === "ssh") {
    args.push("--document-name", "AWS-StartSSHSession", "--parameters", JSON.stringify({ portNumber: [String(session.port)] }));
  }
  return args;
}

const INSTALL = {
  aws: "Install the AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html",
  "session-manager-plugin":
    "Install the Session Manager plugin: https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html",
};

/** Both programs a session needs, on PATH; checked before anything is opened. */
export async function checkSessionTools(path = process.env.PATH): Promise<void> {
  const missing: string[] = [];
  for (const program of Object.keys(INSTALL) as (keyof typeof INSTALL)[]) {
    if (!(await which(program, { nothrow: true, path }))) missing.push(`${program} is not on PATH. ${INSTALL[program]}`);
  }
  if (missing.length) throw new CliError(`${missing.join("\n")}\nNothing was opened.`);
}

/**
 * Runs `aws` with the terminal (or ssh's pipes) passed straight through and resolves with its exit
 * status (128 + the signal's number when a signal ended it, as a shell reports it). Meanwhile
 * Ctrl-C belongs to the session: the terminal sends it to the whole foreground group, the plugin
 * forwards it to the remote shell, and this process ignores it; SIGTERM and SIGHUP sent to this
 * process alone are passed on.
 */
export function runAws(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn("aws", args, { stdio: "inherit", env });
    const ignore = () => undefined;
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", ignore);
    process.on("SIGTERM", forward);
    process.on("SIGHUP", forward);
    const done = () => {
      process.off("SIGINT", ignore);
      process.off("SIGTERM", forward);
      process.off("SIGHUP", forward);
    };
    child.once("error", (error) => {
      done();
      reject(new CliError(`Could not run aws: ${error.message}`, undefined, { cause: error }));
    });
    child.once("exit", (code, signal) => {
      done();
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}
