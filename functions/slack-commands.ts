import type { ClientFactories } from "../lib/aws.js";
import { ssm } from "../lib/client-factories.js";
import { lambdaDeps } from "../lib/deps.js";
import { slackHandler } from "../lib/slack/handler.js";
import { slackCommandRoute } from "../lib/slack/routes.js";
import { lazySlackDeps } from "../lib/slack/wiring.js";

/** POST /slack/commands: the slash command (`/knock open i-… 2h why`), signed by Slack. */
// Acknowledging a Slack request needs only the secrets (SSM); the work runs in slack-worker.
const clients = { ssm } satisfies ClientFactories;

export const createHandler = (deps = lambdaDeps(clients), slack = lazySlackDeps(deps)) => slackHandler(deps, slack, slackCommandRoute);

export const handler = createHandler();
