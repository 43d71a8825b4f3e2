import middy from "@middy/core";
import { describe, expect, it } from "vitest";
import type { ApiEvent, ApiResult } from "../../../../lib/api/http.js";
import { errorResponse } from "../../../../lib/api/middleware/error-response.js";
import { jsonBody } from "../../../../lib/api/middleware/json-body.js";
import { apiEvent, lambdaContext } from "../../../support/events.js";

const echo = middy<ApiEvent, ApiResult>()
  .use(errorResponse(() => ({ error: () => undefined }) as never))
  .use(jsonBody({ maxBytes: 64 }))
  .handler(async (event) => ({ statusCode: 200, body: JSON.stringify(event.jsonBody) }));

const call = (event: ApiEvent) => echo(event, lambdaContext);

describe("jsonBody", () => {
  it("parses a JSON object", async () => {
    expect((await call(apiEvent("POST", "/x", { a: 1 }))).body).toBe('{"a":1}');
  });

  it("reads base64 bodies and treats an absent body as {}", async () => {
    const event = apiEvent("POST", "/x", undefined, { rawBody: Buffer.from('{"b":2}').toString("base64") });
    event.isBase64Encoded = true;
    expect((await call(event)).body).toBe('{"b":2}');
    expect((await call(apiEvent("POST", "/x"))).body).toBe("{}");
  });

  it.each([
    [{ rawBody: "{nope" }, 400, "invalid_request"],
    [{ rawBody: "{}", headers: { "content-type": "text/plain" } }, 415, "unsupported_media_type"],
    [{ rawBody: JSON.stringify({ text: "x".repeat(100) }) }, 413, "payload_too_large"],
  ])("refuses %j with %i", async (options, status, code) => {
    const response = await call(apiEvent("POST", "/x", undefined, options));
    expect(response.statusCode).toBe(status);
    expect(JSON.parse(response.body ?? "").error.code).toBe(code);
  });
});
