import type { Logger } from "@aws-lambda-powertools/logger";
import { BackgroundHandOff } from "../runtime/background.js";
import type { Deps } from "../runtime/deps.js";
import { postWithRetry } from "../runtime/post.js";
import { EXTEND_BY_MS } from "./blocks.js";
import { extendByButton, runSlackCommand, type SlackActor } from "./command-runner.js";
import type { SlackCommand } from "./commands.js";
import type { SlackMessage } from "./message.js";

/**
 * Work a Slack request asked for, finished after the 3-second acknowledgement: its result goes
 * to the request's response_url.
 */
export type SlackJob =
  | { kind: "command"; command: SlackCommand; actor: SlackActor; responseUrl: string }
  | { kind: "button"; action: "extend" | "close"; sessionId: string; actor: SlackActor; responseUrl: string }
  | { kind: "reply"; message: SlackMessage; responseUrl: string };

/** Starts a job without waiting for it; rejects only when the job could not be started at all. */
export type Deferrer = (job: SlackJob) => Promise<void>;

async function resultOf(deps: Deps, job: SlackJob): Promise<SlackMessage> {
  switch (job.kind) {
    case "reply":
      return job.message;
    case "command":
      return runSlackCommand(deps, job.command, job.actor);
    case "button":
      return job.action === "extend"
        ? extendByButton(deps, job.sessionId, EXTEND_BY_MS, job.actor)
        : runSlackCommand(deps, { kind: "close", id: job.sessionId }, job.actor);
  }
}

/** Runs a job and posts its result to Slack; never throws (a lost reply is logged). */
export async function runSlackJob(deps: Deps, job: SlackJob): Promise<void> {
  const message = await resultOf(deps, job);
  try {
    // Buttons sit on the team's notification: answer the clicker alone, and leave that message as it is.
    await postWithRetry(job.responseUrl, JSON.stringify({ ...message, replace_original: false }), {
      timeoutMs: deps.config.notify.timeoutMs,
      retries: deps.config.notify.retries,
    });
  } catch (error) {
    deps.logger.warn("slack reply not delivered", { job: job.kind, error: (error as Error).message });
  }
}

/** Local mode and tests: each job a background task in this process; `settled()` waits for the ones in flight. */
export function backgroundDeferrer(
  run: (job: SlackJob) => Promise<void>,
  logger: Pick<Logger, "error">,
): { defer: Deferrer; settled(): Promise<void> } {
  const handOff = new BackgroundHandOff(run, (error, job) => logger.error("slack job failed", { job: job.kind, error: error.message }));
  return { defer: handOff.submit, settled: () => handOff.settled() };
}
