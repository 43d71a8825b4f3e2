import { AppError, UNEXPECTED_FAILURE } from "../core/errors.js";
import type { Session } from "../core/session.js";
import type { AlreadyReachable, OpenResult } from "../sessions/open.js";
import { expiryText, sessionBlocks } from "./blocks.js";
import { type SlackCommand, USAGE } from "./commands.js";
import { mentionOf } from "./identity.js";
import { type Block, ephemeral, mrkdwn, type SlackMessage } from "./message.js";

export const helpMessage = (command: string, intro?: string): SlackMessage =>
  ephemeral(
    [
      intro,
      `*${command}* opens temporary Session Manager access to a private VPC:`,
      ...USAGE.map((line) => `• \`${command} ${line.slice(1)}`),
    ]
      .filter(Boolean)
      .join("\n"),
  );

/** The answer to help, and to input that is no command: no AWS involved, so it can be immediate. */
export function helpReply(command: Extract<SlackCommand, { kind: "help" | "invalid" }>, slashCommand: string): SlackMessage {
  return command.kind === "help" ? helpMessage(slashCommand) : helpMessage(slashCommand, `:thinking_face: ${command.message}`);
}

export const sessionMessage = (session: Session, headline: string, now: Date): SlackMessage =>
  ephemeral(headline, sessionBlocks(session, headline, now));

/** Why nothing was created, in one sentence. */
export function reachableText(result: AlreadyReachable): string {
  if (result.route) {
    const way = result.via === "nat-gateway" ? "a NAT gateway" : "an internet gateway (it has a public IPv4 address)";
    return `\`${result.route.instanceId}\` already reaches Systems Manager: its subnet routes 0.0.0.0/0 to ${way}, \`${result.route.gatewayId}\` (${result.route.routeTableId}). (The API's \`"force": true\` creates endpoints anyway.)`;
  }
  return `\`${result.vpcId}\` (${result.region}) already has every endpoint Session Manager needs (${result.endpoints.map((e) => `${e.service} ${e.id}`).join(", ")}).`;
}

export function openedMessage(result: OpenResult, now: Date): SlackMessage {
  switch (result.outcome) {
    case "created":
      return sessionMessage(
        result.session,
        `:rocket: Opening Session Manager access to \`${result.session.vpcId}\`: the endpoints take a minute or two; you will hear when they are ready.`,
        now,
      );
    case "joined":
      return sessionMessage(result.session, `:handshake: \`${result.session.vpcId}\` already had a session; you joined it.`, now);
    case "already_reachable":
      return ephemeral(`:information_source: ${reachableText(result)} Nothing was created: connect directly.`);
  }
}

const MAX_LISTED = 20;

/** The list, one line per session; a session outside the service's own account names its account. */
export function listMessage(sessions: Session[], now: Date, hubAccountId?: string): SlackMessage {
  if (sessions.length === 0) return ephemeral("No Session Manager sessions are open.");
  const blocks: Block[] = sessions.slice(0, MAX_LISTED).map((session) => ({
    type: "section",
    text: mrkdwn(
      `\`${session.vpcId}\` (${session.region}${session.accountId === hubAccountId ? "" : `, account ${session.accountId}`}) *${session.status}*, until ${expiryText(session.expiresAt, now)}, by ${mentionOf(session.requestedBy)}`,
    ),
  }));
  const more = sessions.length > MAX_LISTED ? ` (showing ${MAX_LISTED})` : "";
  return ephemeral(`${sessions.length} session${sessions.length === 1 ? "" : "s"} open${more}.`, [
    { type: "section", text: mrkdwn(`*${sessions.length} session${sessions.length === 1 ? "" : "s"}*${more}`) },
    ...blocks,
  ]);
}

/** What a person sees when an action failed: the typed error's own advice, never a stack trace. */
export function errorMessage(error: unknown): SlackMessage {
  if (error instanceof AppError) return ephemeral(`:warning: ${error.message}`);
  return ephemeral(`:warning: ${UNEXPECTED_FAILURE}`);
}
