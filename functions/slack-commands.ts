import { lazyDeps } from "../lib/deps.js";
import { slackHandler } from "../lib/slack/handler.js";
import { slackCommandRoute } from "../lib/slack/routes.js";
import { lazySlackDeps } from "../lib/slack/wiring.js";

/** POST /slack/commands: the slash command (`/knock open i-… 2h why`), signed by Slack. */
export const createHandler = (deps = lazyDeps(), slack = lazySlackDeps(deps)) => slackHandler(deps, slack, slackCommandRoute);

export const handler = createHandler();
