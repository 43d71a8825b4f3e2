import type { ClientFactories } from "../lib/aws.js";
import { ssm } from "../lib/client-factories.js";
import { lambdaDeps } from "../lib/deps.js";
import { slackHandler } from "../lib/slack/handler.js";
import { slackInteractionRoute } from "../lib/slack/routes.js";
import { lazySlackDeps } from "../lib/slack/wiring.js";

/** POST /slack/interactions: the "Extend 1h" and "Close now" buttons, signed by Slack. */
// Acknowledging a Slack request needs only the secrets (SSM); the work runs in slack-worker.
const clients = { ssm } satisfies ClientFactories;

export const createHandler = (deps = lambdaDeps(clients), slack = lazySlackDeps(deps)) => slackHandler(deps, slack, slackInteractionRoute);

export const handler = createHandler();
