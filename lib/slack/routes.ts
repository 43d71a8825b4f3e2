import { type ApiResult, json } from "../api/http.js";
import type { Deps } from "../runtime/deps.js";
import { deniedReason } from "./access.js";
import { parseCommandText, type SlackCommand } from "./commands.js";
import { slackRequester } from "./identity.js";
import { parseButtonPress } from "./interactions.js";
import { ephemeral, type SlackMessage } from "./message.js";
import { helpReply } from "./replies.js";
import type { SlackDeps } from "./signed-handler.js";

const reply = (message: SlackMessage) => json(200, message);

/** What the person sees at once, while the work goes on. */
function acknowledgement(command: SlackCommand): string {
  switch (command.kind) {
    case "open": {
      const target = "instanceId" in command.target ? command.target.instanceId : command.target.vpcId;
      return `:hourglass: Opening Session Manager access to \`${target}\`${command.ttl ? ` for ${command.ttl}${typeof command.ttl === "number" ? "h" : ""}` : ""}…`;
    }
    case "extend":
      return `:hourglass: Extending \`${command.id}\`…`;
    case "close":
      return `:hourglass: Closing \`${command.id}\`…`;
    default:
      return ":hourglass: Looking…";
  }
}

/**
 * POST /slack/commands. Help and malformed input are answered at once; anything that touches AWS
 * is acknowledged at once (Slack gives up after 3 seconds) and finished by a job that posts to
 * the response_url.
 */
export async function slackCommandRoute(form: URLSearchParams, deps: Deps, slack: SlackDeps): Promise<ApiResult> {
  const command = parseCommandText(form.get("text") ?? "");
  if (command.kind === "help" || command.kind === "invalid") {
    // Answered here, without the domain: the acknowledging function stays small and quick.
    return reply(helpReply(command, deps.config.slack.command));
  }
  const userId = form.get("user_id") ?? "";
  const teamId = form.get("team_id") ?? "";
  const channelId = form.get("channel_id") ?? undefined;
  const responseUrl = form.get("response_url") ?? "";
  if (!userId || !teamId || !responseUrl) return reply(ephemeral(":warning: Slack sent an incomplete command; try again."));
  const denied = deniedReason(deps.config.slack, { userId, channelId });
  if (denied) {
    deps.logger.warn("slack command refused by allowlist", { userId, channelId, command: command.kind });
    return reply(ephemeral(`:no_entry: ${denied}`));
  }
  try {
    await slack.defer({ kind: "command", command, actor: { requester: slackRequester(teamId, userId), userId, channelId }, responseUrl });
  } catch (error) {
    deps.logger.error("slack command not started", { command: command.kind, error: (error as Error).message });
    return reply(ephemeral(":warning: ssm-knock could not start that just now; nothing was changed. Try again."));
  }
  return reply(ephemeral(acknowledgement(command)));
}

/**
 * POST /slack/interactions: the "Extend" and "Close now" buttons. Slack ignores this reply's body,
 * so every answer, a refusal included, goes to the response_url by a job.
 */
export async function slackInteractionRoute(form: URLSearchParams, deps: Deps, slack: SlackDeps): Promise<ApiResult> {
  const press = parseButtonPress(form.get("payload"));
  if (!press) return { statusCode: 200 };
  const denied = deniedReason(deps.config.slack, { userId: press.userId, channelId: press.channelId });
  if (denied) {
    deps.logger.warn("slack button refused by allowlist", { userId: press.userId, channelId: press.channelId, action: press.action });
    await slack.defer({ kind: "reply", message: ephemeral(`:no_entry: ${denied}`), responseUrl: press.responseUrl });
    return { statusCode: 200 };
  }
  await slack.defer({
    kind: "button",
    action: press.action,
    sessionId: press.sessionId,
    actor: { requester: slackRequester(press.teamId, press.userId), userId: press.userId, channelId: press.channelId },
    responseUrl: press.responseUrl,
  });
  return { statusCode: 200 };
}
