import { lazyDeps } from "../lib/deps.js";
import { eventHandler } from "../lib/handler.js";
import { runSlackJob, type SlackJob } from "../lib/slack/jobs.js";

/** Finishes a Slack request after its acknowledgement (invoked asynchronously by the Slack routes only). */
export const createHandler = (deps = lazyDeps()) => eventHandler(deps, (job: SlackJob, deps) => runSlackJob(deps, job));

export const handler = createHandler();
