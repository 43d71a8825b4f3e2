import type { Logger } from "@aws-lambda-powertools/logger";
import type middy from "@middy/core";
import { AppError, UNEXPECTED_FAILURE } from "../../core/errors.js";
import { type ApiResult, json } from "../http.js";

/**
 * Turns any error into the API's JSON error shape. AppErrors render themselves (status, code,
 * field); anything else is logged in full and answered with a bare 500 (no stack trace leaves the
 * service). A response an earlier middleware already set is left alone.
 */
export function errorResponse(logger: () => Logger): middy.MiddlewareObj<unknown, ApiResult> {
  const errorResponseOnError: middy.MiddlewareFn<unknown, ApiResult> = (request) => {
    if (request.response !== undefined) return;
    const { error } = request;
    if (error instanceof AppError) {
      if (error.status >= 500) logger().error("request failed", { code: error.code, error });
      request.response = json(error.status, { error: error.toJSON() });
      return;
    }
    logger().error("unexpected error", { error: error as Error });
    request.response = json(500, { error: { code: "internal_error", message: UNEXPECTED_FAILURE } });
  };
  return { onError: errorResponseOnError };
}
