import type { Logger } from "@aws-lambda-powertools/logger";
import type middy from "@middy/core";
import { AppError } from "../../core/errors.js";
import { type ApiResult, json } from "../http.js";

/**
 * Turns any error into the API's JSON error shape. AppErrors carry their own status and code;
 * anything else is logged in full and answered with a bare 500 (no stack trace leaves the service).
 */
export function errorResponse(logger: () => Logger): middy.MiddlewareObj<unknown, ApiResult> {
  return {
    onError: (request) => {
      const { error } = request;
      if (error instanceof AppError) {
        if (error.status >= 500) logger().error("request failed", { code: error.code, error });
        request.response = json(error.status, {
          error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}), ...(error.details ?? {}) },
        });
        return;
      }
      logger().error("unexpected error", { error: error as Error });
      request.response = json(500, {
        error: { code: "internal_error", message: "ssm-knock failed unexpectedly; the error is logged. Try again, or check the logs." },
      });
    },
  };
}
