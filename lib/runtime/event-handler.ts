import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import type { Deps } from "./deps.js";
import { logger } from "./logger.js";

/** The wrapper for events that are not HTTP requests (schedules, the sweeper's timer). */
export function eventHandler<TEvent, TResult>(deps: () => Deps, run: (event: TEvent, deps: Deps) => Promise<TResult>) {
  return middy<TEvent, TResult, Error, Context>()
    .use(injectLambdaContext(logger))
    .handler((event) => run(event, deps()));
}
