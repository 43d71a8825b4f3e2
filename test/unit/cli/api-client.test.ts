import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../../lib/cli/api-client.js";
import { ApiError, CliError } from "../../../lib/cli/errors.js";
import { type Receiver, startReceiver } from "../../support/receiver.js";

// The CLI's API client against a real HTTP server on 127.0.0.1 that answers each request as
// scripted: what every kind of reply becomes.

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

const client = (url = new URL(receiver.url("/stage/"))) =>
  new ApiClient(url, async (request) => ({ ...request.headers, authorization: "signed" }), 5_000);
/** The next reply, then the client's GET of a session. */
const getAnswered = (status: number, json: string) => {
  receiver.answer({ status, json });
  return client().get("vpc-0a1b2c3d4e5f60718");
};

describe("the API client", () => {
  it("joins the base path, signs, and sends JSON only with a body", async () => {
    expect((await getAnswered(200, '{"session":{"id":"vpc-ok"}}')).body).toEqual({ session: { id: "vpc-ok" } });
    receiver.answer({ status: 200, json: "{}" });
    await client().extend("vpc-ok", "1h");
    const [get, extend] = receiver.received.slice(-2);
    expect(get).toMatchObject({ path: "/stage/sessions/vpc-0a1b2c3d4e5f60718", body: "" });
    expect(get.headers).toMatchObject({ authorization: "signed", accept: "application/json" });
    expect(get.headers["content-type"]).toBeUndefined();
    expect(extend).toMatchObject({ path: "/stage/sessions/vpc-ok/extend", body: '{"ttl":"1h"}' });
    expect(extend.headers["content-type"]).toBe("application/json");
  });

  it("turns the API's error body into its code, message, field and fix", async () => {
    const body = JSON.stringify({ error: { code: "session_closing", message: "closing", field: "vpcId", fix: "retry" } });
    await expect(getAnswered(409, body)).rejects.toMatchObject({
      status: 409,
      code: "session_closing",
      message: "closing",
      field: "vpcId",
      fix: "retry",
    });
  });

  it("tells API Gateway's own refusals: a 403 is forbidden with the fix, any other status by number", async () => {
    const refused = await getAnswered(403, '{"message":"Missing Authentication Token"}').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 403, code: "forbidden", message: "Missing Authentication Token" });
    expect((refused as ApiError).fix).toContain("execute-api:Invoke");
    await expect(getAnswered(429, '{"message":"Too Many Requests"}')).rejects.toMatchObject({
      status: 429,
      code: "http_429",
      message: "Too Many Requests",
    });
  });

  it("says what came back when a reply is not JSON, empty or not", async () => {
    await expect(getAnswered(502, "<html>Bad Gateway</html>")).rejects.toMatchObject({
      status: 502,
      code: "bad_reply",
      message: expect.stringContaining("<html>Bad Gateway"),
    });
    await expect(getAnswered(500, "")).rejects.toMatchObject({
      status: 500,
      code: "bad_reply",
      message: expect.stringContaining("(empty)"),
    });
    await expect(getAnswered(200, "not json")).rejects.toMatchObject({
      status: 200,
      code: "bad_reply",
      message: expect.stringContaining("is not JSON: not json"),
    });
  });

  it("says an API that cannot be reached, and that local mode may not be running", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const failure = await client(new URL(`http://127.0.0.1:${port}`))
      .list()
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CliError);
    expect(failure).not.toBeInstanceOf(ApiError);
    expect((failure as Error).message).toBe(
      `Cannot reach the API at http://127.0.0.1:${port} (ECONNREFUSED); is the URL right, and local mode running (npm start)?`,
    );
  });
});
