import { setTimeout as sleep } from "node:timers/promises";
import { formatDuration } from "../core/duration.js";
import type { ApiClient } from "./api-client.js";
import { type ApiSession, type InstanceView, instancesOf } from "./api-types.js";
import { ApiError, CliError, InterruptedError } from "./errors.js";
import type { Progress } from "./progress.js";

export interface Readiness {
  stage: "stack creating" | "endpoints available" | "agent online" | "connectable";
  detail: string;
  done: boolean;
}

const endpointStates = (session: ApiSession) => session.endpoints.map((e) => `${e.service} ${e.state}`).join(", ");

/**
 * Where a session stands for one instance. Only Session Manager's own check (`connectable`
 * true) ends the wait: a server that does not report it (before readiness) is "not known yet",
 * never connectable. A session that is closing, closed or failed cannot become connectable.
 */
export function readinessOf(session: ApiSession, instanceId: string): Readiness {
  if (session.status === "creating") return { stage: "stack creating", detail: endpointStates(session), done: false };
  if (session.status !== "ready") {
    const reason = session.statusReason ? `: ${session.statusReason}` : "";
    throw new CliError(`The session ${session.id} is ${session.status}${reason}; it cannot become connectable.`);
  }
  const instance = instancesOf(session).find((view) => view.id === instanceId);
  const connectable = instance ? instance.connectable : (session.connectable ?? null);
  if (connectable === true) return { stage: "connectable", detail: instanceId, done: true };
  const unknown = !("connectable" in session) && instance?.connectable == null;
  if (instance?.pingStatus === "Online") {
    return { stage: "agent online", detail: `waiting for Session Manager to accept ${instanceId}`, done: false };
  }
  const ping = instance ? `agent ${instance.pingStatus}` : `${instanceId} not in the session yet`;
  return { stage: "endpoints available", detail: unknown ? `${ping}; the API does not report connectable yet` : ping, done: false };
}

/** The checks that are not ok, each with its fix: what the person has to change. */
export function failingChecks(instance: InstanceView | undefined): string[] {
  return (instance?.checks ?? [])
    .filter((check) => check.status === "fail" || check.status === "warn")
    .map(
      (check) => `  ${check.status === "fail" ? "✗" : "!"} ${check.name}: ${check.message}${check.fix ? `\n    fix: ${check.fix}` : ""}`,
    );
}

/** " (endpoints available: agent ConnectionLost)": the stage a wait ended at, if the last reply told one. */
function stoppedAt(last: ApiSession | undefined, instanceId: string): string {
  if (last?.status !== "ready") return "";
  const readiness = readinessOf(last, instanceId);
  return ` (${readiness.stage}${readiness.detail ? `: ${readiness.detail}` : ""})`;
}

/** Thrown when the wait ran out: says where it stopped and which checks fail, with their fixes. */
export class WaitTimeoutError extends CliError {
  constructor(instanceId: string, timeoutMs: number, last: ApiSession | undefined) {
    const checks = failingChecks(last ? instancesOf(last).find((view) => view.id === instanceId) : undefined);
    const explanation = checks.length
      ? `Failing checks:\n${checks.join("\n")}`
      : last && !("connectable" in last)
        ? "This API does not report readiness (no `connectable` in GET /sessions/{id}), so the CLI cannot tell when Session Manager will accept the instance."
        : "The API reports no failing check; the agent may still be in its retry backoff (up to an hour): try --restart-agent, or wait longer with --wait-timeout.";
    const waited = timeoutMs % 60_000 ? `${Math.round(timeoutMs / 1000)}s` : formatDuration(timeoutMs);
    super(`${instanceId} is not connectable after ${waited}${stoppedAt(last, instanceId)}.\n${explanation}`);
    this.name = "WaitTimeoutError";
  }
}

export interface WaitOptions {
  timeoutMs: number;
  pollMs: number;
  signal: AbortSignal;
  progress: Progress;
  now?: () => number;
}

const transient = (error: unknown) =>
  (error instanceof ApiError && error.status >= 500) || (error instanceof CliError && !(error instanceof ApiError));

/**
 * Polls GET /sessions/{id} until `instanceId` is connectable, reporting each stage. A 5xx or a
 * lost connection is retried until the timeout; another refusal ends the wait at once.
 */
export async function waitUntilConnectable(
  api: ApiClient,
  sessionId: string,
  instanceId: string,
  options: WaitOptions,
): Promise<ApiSession> {
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeoutMs;
  let last: ApiSession | undefined;
  for (;;) {
    if (options.signal.aborted) throw new InterruptedError(String(options.signal.reason ?? "SIGINT"));
    try {
      last = (await api.get(sessionId)).body.session;
      const readiness = readinessOf(last, instanceId);
      // The caller says the final word (it knows what comes next).
      if (readiness.done) return last;
      options.progress.update(readiness.stage, readiness.detail);
    } catch (error) {
      if (!transient(error)) throw error;
      options.progress.update("retrying", (error as Error).message);
    }
    if (now() >= deadline) throw new WaitTimeoutError(instanceId, options.timeoutMs, last);
    try {
      await sleep(Math.min(options.pollMs, Math.max(0, deadline - now())), undefined, { signal: options.signal });
    } catch {
      throw new InterruptedError(String(options.signal.reason ?? "SIGINT"));
    }
  }
}
