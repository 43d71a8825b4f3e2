import { createHandler as commandsHandler } from "../../functions/slack-commands.js";
import { createHandler as interactionsHandler } from "../../functions/slack-interactions.js";
import type { Deps } from "../../lib/runtime/deps.js";
import type { SlackJob } from "../../lib/slack/jobs.js";
import { RecentSignatures, slackSignature } from "../../lib/slack/signature.js";
import type { SlackDeps } from "../../lib/slack/signed-handler.js";
import { attributed } from "../../local/aws-call-log.js";
import { apiEvent, lambdaContext } from "./events.js";

export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

export interface SlackPost {
  headers?: Record<string, string>;
  /** Sign with this secret (default: the right one), this timestamp (default: the deps' clock), or not at all. */
  secret?: string | null;
  timestamp?: number;
}

/** Form-encodes a slash command the way Slack sends it. */
export const commandForm = (text: string, responseUrl: string, who: { user?: string; channel?: string } = {}) =>
  new URLSearchParams({
    token: "deprecated",
    team_id: "T0001",
    team_domain: "example",
    channel_id: who.channel ?? "C0001",
    channel_name: "ops",
    user_id: who.user ?? "U0001",
    user_name: "alice",
    command: "/knock",
    text,
    api_app_id: "A0001",
    response_url: responseUrl,
    trigger_id: "1.2.3",
  }).toString();

export const buttonForm = (actionId: string, value: string, responseUrl: string, user = "U0001") =>
  new URLSearchParams({
    payload: JSON.stringify({
      type: "block_actions",
      user: { id: user, team_id: "T0001" },
      team: { id: "T0001" },
      channel: { id: "C0001" },
      response_url: responseUrl,
      actions: [{ action_id: actionId, value, type: "button" }],
    }),
  }).toString();

/**
 * The Slack routes as Slack calls them: signed form posts through the real handlers. `run`
 * decides what a deferred job does (by default: record it only).
 */
export function slackClient(deps: Deps, slackDeps: Partial<SlackDeps> = {}) {
  const jobs: SlackJob[] = [];
  const slack: SlackDeps = {
    secrets: async () => ({ slackSigningSecret: SIGNING_SECRET }),
    defer: async (job) => {
      jobs.push(job);
    },
    recent: new RecentSignatures(),
    wallClock: () => deps.clock(),
    ...slackDeps,
  };
  const commands = attributed(
    "slackCommands",
    commandsHandler(
      () => deps,
      () => slack,
    ),
  );
  const interactions = attributed(
    "slackInteractions",
    interactionsHandler(
      () => deps,
      () => slack,
    ),
  );
  const post = async (handler: typeof commands, path: string, body: string, options: SlackPost = {}) => {
    const timestamp = options.timestamp ?? Math.floor(deps.clock().getTime() / 1000);
    const secret = options.secret === undefined ? SIGNING_SECRET : options.secret;
    const signed: Record<string, string> =
      secret === null
        ? {}
        : { "x-slack-request-timestamp": String(timestamp), "x-slack-signature": slackSignature(secret, timestamp, body) };
    // API Gateway HTTP API hands form posts over base64-encoded.
    const event = apiEvent("POST", path, undefined, {
      caller: null,
      rawBody: Buffer.from(body).toString("base64"),
      headers: { "content-type": "application/x-www-form-urlencoded", ...signed, ...options.headers },
    });
    event.isBase64Encoded = true;
    const response = await handler(event, lambdaContext);
    return { status: response.statusCode ?? 0, body: response.body ? JSON.parse(response.body) : undefined };
  };
  return {
    jobs,
    slack,
    command: (body: string, options?: SlackPost) => post(commands, "/slack/commands", body, options),
    interaction: (body: string, options?: SlackPost) => post(interactions, "/slack/interactions", body, options),
  };
}
