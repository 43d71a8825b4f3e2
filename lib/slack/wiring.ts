import { LambdaClient } from "@aws-sdk/client-lambda";
import type { Deps } from "../deps.js";
import { secretSourceFor } from "../notify/secrets.js";
import { systemClock } from "../time.js";
import type { SlackDeps } from "./handler.js";
import { BackgroundDeferrer, lambdaDeferrer, runSlackJob } from "./jobs.js";
import { RecentSignatures } from "./signature.js";

/**
 * SlackDeps for a Lambda: secrets from SSM (SECRETS_PARAMETER_PATH) and jobs handed to the
 * slack-worker function. Without those settings (local mode builds its own), environment
 * secrets and in-process background jobs. Built once per warm instance, so the replay guard
 * and the secrets cache live as long as it does.
 */
export function lazySlackDeps(deps: () => Deps): () => SlackDeps {
  let slack: SlackDeps | undefined;
  return () => {
    if (slack) return slack;
    const d = deps();
    const worker = d.config.slack.workerFunctionName;
    slack = {
      secrets: secretSourceFor(d),
      defer: worker
        ? lambdaDeferrer(new LambdaClient({ region: d.config.region, maxAttempts: 2 }), worker)
        : new BackgroundDeferrer((job) => runSlackJob(d, job), d.logger).defer,
      recent: new RecentSignatures(),
      wallClock: systemClock,
    };
    return slack;
  };
}
