import type { OpenBody } from "./api-client.js";
import { reachableLine } from "./api-types.js";
import type { Command, OpenFlags } from "./args.js";
import type { CliContext } from "./context.js";
import { ApiError } from "./errors.js";
import { type Progress, progressOn } from "./progress.js";
import { checkSessionTools, runAws, type SessionKind, startSessionArgs } from "./session-command.js";
import { expiry } from "./tables.js";
import { instanceOf, parseTarget } from "./targets.js";
import { waitUntilConnectable } from "./wait.js";

type SessionCommand = Extract<Command, { name: "connect" | "proxy" }>;

/** What an open did: the session to wait for (none when the VPC was already reachable), and whether this run created it. */
interface Access {
  sessionId?: string;
  region: string;
  /** The requester recorded for this run, when it created the session (202); undefined when it joined. */
  createdBy?: string;
}

/** The POST /sessions body for an instance or a VPC, in the settings' region (and account), with the command's flags. */
export function openBody(target: { instanceId: string } | { vpcId: string }, flags: OpenFlags, region: string, account?: string): OpenBody {
  return {
    ...target,
    region,
    // Sent only when set, so servers before issue 17 accept the body.
    ...(account ? { accountId: account } : {}),
    ...(flags.ttl ? { ttl: flags.ttl } : {}),
    ...(flags.reason ? { reason: flags.reason } : {}),
    // "never" is the API's default; sent only when asked, so servers before readiness accept the body.
    ...(flags.restartAgent ? { restartAgent: "if-offline" as const } : {}),
  };
}

async function openAccess(context: CliContext, instanceId: string, command: SessionCommand, progress: Progress): Promise<Access> {
  progress.update("opening", `access to ${instanceId}`);
  const { status, body } = await context.api.open(openBody({ instanceId }, command, context.settings.region, context.settings.account));
  if ("alreadyReachable" in body) {
    progress.say(reachableLine(body));
    return { region: body.region };
  }
  const created = status === 202;
  progress.say(`${created ? "opened" : "joined"} ${body.session.id} (${body.session.region}), expires ${expiry(body.session)}`);
  for (const warning of body.warnings ?? []) progress.say(`warning: ${warning}`);
  return { sessionId: body.session.id, region: body.session.region, createdBy: created ? body.session.requestedBy : undefined };
}

/**
 * Closes a session this run created, unless someone else joined it meanwhile (another requester
 * is recorded). A close that fails is told, with the command that finishes it, and never hides
 * the session command's own status.
 */
async function closeIfAlone(context: CliContext, access: Access, say: (line: string) => void): Promise<void> {
  const { sessionId, createdBy } = access;
  if (!sessionId || !createdBy) return;
  try {
    const { session } = (await context.api.get(sessionId)).body;
    const others = session.requesters.filter((requester) => requester !== createdBy);
    if (others.length) {
      say(`left ${sessionId} open: ${others.join(", ")} joined it; it expires at ${session.expiresAt}.`);
      return;
    }
    await context.api.close(sessionId);
    say(`closed ${sessionId} (this command opened it and nobody joined).`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return;
    say(`could not close ${sessionId}: ${(error as Error).message}; run: ssm-knock close ${sessionId}`);
  }
}

/** Turns Ctrl-C, SIGTERM and SIGHUP during the wait into an abort, so the wait can clean up. */
function interruptions(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  const handlers = signals.map((name) => [name, () => controller.abort(name)] as const);
  for (const [name, handler] of handlers) process.on(name, handler);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}

/**
 * `connect` and `proxy`: checks that `aws` and the plugin are installed, opens (or joins) access,
 * waits until the instance is connectable, then hands the terminal (or ssh's pipes) to
 * `aws ssm start-session`. Afterwards, and after Ctrl-C or a timeout during the wait, it closes
 * what it created unless someone joined, --keep was given, or it is a proxy (ssh runs one per
 * connection; the TTL ends it). Resolves with the session command's exit status.
 *
 * @example
 * await runSessionCommand(context, { name: "connect", target: "web-1", keep: false, restartAgent: false, waitTimeoutMs: 900_000 });
 */
export async function runSessionCommand(context: CliContext, command: SessionCommand): Promise<number> {
  await checkSessionTools(context.io.env.PATH);
  const instanceId = await instanceOf(parseTarget(command.target), context.directory);
  const progress = progressOn(context.io.stderr);
  const keep = command.name === "proxy" || command.keep;
  const interrupt = interruptions();
  let access: Access | undefined;
  try {
    access = await openAccess(context, instanceId, command, progress);
    if (access.sessionId) {
      await waitUntilConnectable(context.api, access.sessionId, instanceId, {
        timeoutMs: command.waitTimeoutMs,
        pollMs: context.settings.pollMs,
        signal: interrupt.signal,
        progress,
      });
      progress.say(`connectable: ${instanceId}`);
    }
  } catch (error) {
    progress.stop();
    if (access && !keep) await closeIfAlone(context, access, (line) => progress.say(line));
    throw error;
  } finally {
    interrupt.dispose();
    progress.stop();
  }
  const kind: SessionKind =
    command.name === "proxy"
      ? { kind: "ssh", port: command.port }
      : command.portForward
        ? { kind: "port-forward", forward: command.portForward }
        : { kind: "shell" };
  const args = startSessionArgs({ instanceId, region: access.region, profile: context.settings.profile }, kind);
  try {
    return await runAws(args, context.io.env);
  } finally {
    if (!keep) await closeIfAlone(context, access, (line) => context.io.stderr.write(`${line}\n`));
  }
}
