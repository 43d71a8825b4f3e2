import type middy from "@middy/core";
import { InvalidRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from "../../core/errors.js";
import { type ApiEvent, type ApiResult, header, rawBody } from "../http.js";

/**
 * Parses a JSON request body into `event.jsonBody`, refusing other media types, oversized
 * bodies and malformed JSON with errors that say what to send instead. An absent body is `{}`.
 */
export function jsonBody(options: { maxBytes: number } = { maxBytes: 16_384 }): middy.MiddlewareObj<ApiEvent, ApiResult> {
  return {
    before: ({ event }) => {
      const raw = event.body ?? "";
      if (raw === "") {
        event.jsonBody = {};
        return;
      }
      const contentType = header(event, "content-type") ?? "";
      if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType.trim())) {
        throw new UnsupportedMediaTypeError(
          `Send the body as JSON with "content-type: application/json" (got "${contentType.slice(0, 64) || "none"}").`,
        );
      }
      const text = rawBody(event);
      if (Buffer.byteLength(text) > options.maxBytes) throw new PayloadTooLargeError(options.maxBytes);
      try {
        event.jsonBody = JSON.parse(text);
      } catch {
        throw new InvalidRequestError('The body is not valid JSON; send a JSON object such as {"instanceId": "i-0123456789abcdef0"}.');
      }
    },
  };
}
