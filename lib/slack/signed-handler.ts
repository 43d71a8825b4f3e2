import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { type ApiEvent, type ApiResult, header, rawBody } from "../api/http.js";
import { errorResponse } from "../api/middleware/error-response.js";
import type { SecretSource } from "../aws/secrets.js";
import { PayloadTooLargeError } from "../core/errors.js";
import type { Clock } from "../core/time.js";
import type { Deps } from "../runtime/deps.js";
import { logger } from "../runtime/logger.js";
import type { Deferrer } from "./jobs.js";
import { type RecentSignatures, SlackSignatureError, verifySlackRequest } from "./signature.js";

/** What the Slack routes need beyond Deps. */
export interface SlackDeps {
  secrets: SecretSource;
  defer: Deferrer;
  recent: RecentSignatures;
  /** Real time for Slack's timestamps, even when the domain runs on local mode's virtual clock. */
  wallClock: Clock;
}

const MAX_BODY_BYTES = 65_536;

/**
 * The verified form body of a Slack request. Slack signs the exact bytes it sent, so the check
 * runs on the raw body (API Gateway base64-encodes form posts) before anything parses it.
 */
async function signedForm(event: ApiEvent, deps: Deps, slack: SlackDeps): Promise<URLSearchParams> {
  const raw = rawBody(event);
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  const secrets = await slack.secrets();
  try {
    verifySlackRequest(
      secrets.slackSigningSecret,
      { timestamp: header(event, "x-slack-request-timestamp"), signature: header(event, "x-slack-signature"), rawBody: raw },
      slack.wallClock(),
      slack.recent,
    );
  } catch (error) {
    if (error instanceof SlackSignatureError) {
      const log = error.why === "unconfigured" ? deps.logger.error : deps.logger.warn;
      log.call(deps.logger, "slack request refused", { why: error.why, sourceIp: event.requestContext?.http?.sourceIp });
    }
    throw error;
  }
  return new URLSearchParams(raw);
}

/** The wrapper of the Slack routes: structured logs, JSON errors (401 for unsigned), a verified form. */
export function slackHandler(
  deps: () => Deps,
  slack: () => SlackDeps,
  route: (form: URLSearchParams, deps: Deps, slack: SlackDeps) => Promise<ApiResult>,
) {
  return middy<ApiEvent, ApiResult, Error, Context>()
    .use(injectLambdaContext(logger))
    .use(errorResponse(() => deps().logger))
    .handler(async (event) => route(await signedForm(event, deps(), slack()), deps(), slack()));
}
