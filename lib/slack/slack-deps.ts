import { LambdaClient } from "@aws-sdk/client-lambda";
import { invokeAsync } from "../aws/invoke.js";
import { secretSourceFor } from "../aws/secrets.js";
import { systemClock } from "../core/time.js";
import type { Deps } from "../runtime/deps.js";
import type { Deferrer } from "./jobs.js";
import { RecentSignatures } from "./signature.js";
import type { SlackDeps } from "./signed-handler.js";

/**
 * SlackDeps for a Lambda: secrets from SSM (SECRETS_PARAMETER_PATH) and jobs handed to the
 * slack-worker function. Local mode passes `runInProcess` instead of a worker (and environment
 * secrets apply without a parameter path); keeping that runner out of this module keeps the
 * whole domain out of the acknowledging functions' bundles. Built once per warm instance, so the
 * replay guard and the secrets cache live as long as it does.
 */
export function lazySlackDeps(deps: () => Deps, runInProcess?: (deps: Deps) => Deferrer): () => SlackDeps {
  let slack: SlackDeps | undefined;
  return () => {
    if (slack) return slack;
    const d = deps();
    const worker = d.config.slack.workerFunctionName;
    slack = {
      secrets: secretSourceFor(d),
      defer: worker ? workerDeferrer(new LambdaClient({ region: d.config.region, maxAttempts: 2 }), worker) : inProcess(d, runInProcess),
      recent: new RecentSignatures(),
      wallClock: systemClock,
    };
    return slack;
  };
}

/** AWS: each job an asynchronous invocation of the slack-worker function. */
const workerDeferrer =
  (lambda: LambdaClient, functionName: string): Deferrer =>
  (job) =>
    invokeAsync(lambda, functionName, job);

function inProcess(deps: Deps, runInProcess: ((deps: Deps) => Deferrer) | undefined): Deferrer {
  if (!runInProcess) throw new Error("SLACK_WORKER_FUNCTION_NAME is not set: Slack jobs have nowhere to run.");
  return runInProcess(deps);
}
