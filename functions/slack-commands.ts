import { ssm } from "../lib/aws/client-factories.js";
import type { ClientFactories } from "../lib/aws/clients.js";
import { lambdaDeps } from "../lib/runtime/deps.js";
import { slackCommandRoute } from "../lib/slack/routes.js";
import { slackHandler } from "../lib/slack/signed-handler.js";
import { lazySlackDeps } from "../lib/slack/slack-deps.js";

// Acknowledging a Slack request needs only the secrets (SSM); the work runs in slack-worker.
const clients = { ssm } satisfies ClientFactories;

/** POST /slack/commands: the slash command (`/knock open i-… 2h why`), signed by Slack. */
export const createHandler = (deps = lambdaDeps(clients), slack = lazySlackDeps(deps)) => slackHandler(deps, slack, slackCommandRoute);

export const handler = createHandler();
