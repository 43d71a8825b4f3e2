import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import type { Deps } from "../runtime/deps.js";
import { logger } from "../runtime/logger.js";
import type { ApiEvent, ApiResult } from "./http.js";
import { errorResponse } from "./middleware/error-response.js";
import { jsonBody } from "./middleware/json-body.js";

/** The one wrapper every HTTP route shares: structured logs, a parsed JSON body, JSON errors. */
export function httpHandler(deps: () => Deps, route: (event: ApiEvent, deps: Deps) => Promise<ApiResult>) {
  return middy<ApiEvent, ApiResult, Error, Context>()
    .use(injectLambdaContext(logger))
    .use(errorResponse(() => deps().logger))
    .use(jsonBody())
    .handler((event) => route(event, deps()));
}
