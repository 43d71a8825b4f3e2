import { lazyDeps } from "../lib/deps.js";
import { slackHandler } from "../lib/slack/handler.js";
import { slackInteractionRoute } from "../lib/slack/routes.js";
import { lazySlackDeps } from "../lib/slack/wiring.js";

/** POST /slack/interactions: the "Extend 1h" and "Close now" buttons, signed by Slack. */
export const createHandler = (deps = lazyDeps(), slack = lazySlackDeps(deps)) => slackHandler(deps, slack, slackInteractionRoute);

export const handler = createHandler();
