import { AppError } from "../core/errors.js";
import { OpenRequestSchema, validateBody } from "../core/requests.js";
import { openWithReadiness } from "../readiness/open.js";
import type { Deps } from "../runtime/deps.js";
import { closeSession } from "../sessions/close.js";
import { extendSession } from "../sessions/extend.js";
import { getSession, listSessions } from "../sessions/read.js";
import { billText, expiryText } from "./blocks.js";
import type { SlackCommand } from "./commands.js";
import type { SlackMessage } from "./message.js";
import { errorMessage, helpReply, listMessage, openedMessage, sessionMessage } from "./replies.js";

/** The Slack user behind a request: the requester recorded on the session, and where they asked. */
export interface SlackActor {
  requester: string;
  userId: string;
  channelId?: string;
}

/** Runs a command against the same domain functions as the HTTP API and says how it went. Never throws. */
export async function runSlackCommand(deps: Deps, command: SlackCommand, actor: SlackActor): Promise<SlackMessage> {
  try {
    return await perform(deps, command, actor);
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) {
      deps.logger.error("slack command failed", { command: command.kind, error: error as Error });
    }
    return errorMessage(error);
  }
}

async function perform(deps: Deps, command: SlackCommand, actor: SlackActor): Promise<SlackMessage> {
  const now = () => deps.clock();
  switch (command.kind) {
    case "help":
    case "invalid":
      return helpReply(command, deps.config.slack.command);
    case "open": {
      const request = validateBody(OpenRequestSchema, {
        ...command.target,
        ttl: command.ttl,
        reason: command.reason,
        restartAgent: command.restartAgent,
        accountId: command.accountId,
      });
      return openedMessage(await openWithReadiness(deps, request, actor.requester), now());
    }
    case "extend": {
      const session = await extendSession(deps, command.id, command.ttl, actor.requester);
      return sessionMessage(session, `:arrows_clockwise: \`${session.vpcId}\` now closes ${expiryText(session.expiresAt, now())}.`, now());
    }
    case "close": {
      const { session, bill } = await closeSession(deps, command.id, actor.requester);
      return sessionMessage(session, `:lock: Closing \`${session.vpcId}\`: its endpoints are being deleted. ${billText(bill)}`, now());
    }
    case "status": {
      // Slack's message shows endpoints and status, not ping status: no pinger, no SSM call.
      const session = await getSession(deps, command.id);
      return sessionMessage(session, `:mag: \`${session.vpcId}\` is *${session.status}*.`, now());
    }
    case "list":
      return listMessage((await listSessions(deps)).sessions, now(), deps.config.accounts.hub);
  }
}

/**
 * The "Extend 1h" button: one more hour on top of the current expiry (the API's extend counts
 * from now, so the ttl is what is left plus the hour).
 */
export async function extendByButton(deps: Deps, sessionId: string, byMs: number, actor: SlackActor): Promise<SlackMessage> {
  try {
    const current = await getSession(deps, sessionId);
    const left = Math.max(0, new Date(current.expiresAt).getTime() - deps.clock().getTime());
    const ttl = `${Math.ceil((left + byMs) / 60_000)}m`;
    return await runSlackCommand(deps, { kind: "extend", id: sessionId, ttl }, actor);
  } catch (error) {
    return errorMessage(error);
  }
}
