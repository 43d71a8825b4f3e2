import { createHandler as closeHandler } from "../functions/close.js";
import { createHandler as extendHandler } from "../functions/extend.js";
import { createHandler as getHandler } from "../functions/get.js";
import { createHandler as listHandler } from "../functions/list.js";
import { createHandler as openHandler } from "../functions/open.js";
import { createHandler as slackCommandsHandler } from "../functions/slack-commands.js";
import { createHandler as slackInteractionsHandler } from "../functions/slack-interactions.js";
import { json } from "../lib/api/http.js";
import { isoSeconds } from "../lib/core/time.js";
import type { Deps } from "../lib/runtime/deps.js";
import type { SlackDeps } from "../lib/slack/signed-handler.js";
import type { VirtualClock } from "./clock.js";
import type { Route } from "./http.js";
import type { TimeMachine } from "./time-machine.js";

/** The HTTP API's routes, served by the same handlers as in AWS, plus local mode's clock controls. */
export function localRoutes(deps: () => Deps, slack: () => SlackDeps, clock: VirtualClock, time: TimeMachine): Route[] {
  return [
    { method: "POST", path: "/sessions", functionName: "open", handler: openHandler(deps) },
    { method: "GET", path: "/sessions", functionName: "list", handler: listHandler(deps) },
    { method: "GET", path: "/sessions/{id}", functionName: "get", handler: getHandler(deps) },
    { method: "POST", path: "/sessions/{id}/extend", functionName: "extend", handler: extendHandler(deps) },
    { method: "DELETE", path: "/sessions/{id}", functionName: "close", handler: closeHandler(deps) },
    // Slack signs its requests (SLACK_SIGNING_SECRET); these routes ignore x-ssm-knock-user.
    { method: "POST", path: "/slack/commands", functionName: "slackCommands", handler: slackCommandsHandler(deps, slack) },
    { method: "POST", path: "/slack/interactions", functionName: "slackInteractions", handler: slackInteractionsHandler(deps, slack) },
    {
      method: "POST",
      path: "/local/advance",
      functionName: "local-advance",
      handler: async (event) => {
        const minutes = Number((JSON.parse(event.body || "{}") as { minutes?: unknown }).minutes);
        if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 60 * 24 * 30) {
          return json(400, { error: { code: "invalid_request", message: 'Send {"minutes": N} with 0 < N <= 43200.', field: "minutes" } });
        }
        return json(200, await time.advance(minutes));
      },
    },
    { method: "GET", path: "/local/clock", functionName: "local-clock", handler: async () => json(200, { now: isoSeconds(clock.now()) }) },
  ];
}
