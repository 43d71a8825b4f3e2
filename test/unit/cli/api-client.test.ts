import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../../lib/cli/api-client.js";
import { ApiError, CliError } from "../../../lib/cli/errors.js";

// The CLI's API client against a real HTTP server on 127.0.0.1 that answers each path with a
// canned status and body: what every kind of reply becomes.

const replies: Record<string, { status: number; body: string }> = {
  "/stage/sessions/vpc-api": {
    status: 409,
    body: JSON.stringify({ error: { code: "session_closing", message: "closing", field: "vpcId", fix: "retry" } }),
  },
  "/stage/sessions/vpc-gateway": { status: 403, body: JSON.stringify({ message: "Missing Authentication Token" }) },
  "/stage/sessions/vpc-throttled": { status: 429, body: JSON.stringify({ message: "Too Many Requests" }) },
  "/stage/sessions/vpc-html": { status: 502, body: "<html>Bad Gateway</html>" },
  "/stage/sessions/vpc-empty": { status: 500, body: "" },
  "/stage/sessions/vpc-text": { status: 200, body: "not json" },
  "/stage/sessions/vpc-ok": { status: 200, body: JSON.stringify({ session: { id: "vpc-ok" } }) },
};
const seen: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string }[] = [];
let server: Server;
let base: URL;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      seen.push({ method: request.method, url: request.url, headers: request.headers, body });
      const reply = replies[request.url?.replace(/\/extend$/, "") ?? ""] ?? { status: 404, body: "{}" };
      response.writeHead(reply.status, { "content-type": "application/json" }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/stage/`);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = (url = base) => new ApiClient(url, async (request) => ({ ...request.headers, authorization: "signed" }), 5_000);

describe("the API client", () => {
  it("joins the base path, signs, and sends JSON only with a body", async () => {
    expect((await client().get("vpc-ok")).body).toEqual({ session: { id: "vpc-ok" } });
    await client().extend("vpc-ok", "1h");
    const [get, extend] = seen.slice(-2);
    expect(get).toMatchObject({ method: "GET", url: "/stage/sessions/vpc-ok", body: "" });
    expect(get.headers).toMatchObject({ authorization: "signed", accept: "application/json" });
    expect(get.headers["content-type"]).toBeUndefined();
    expect(extend).toMatchObject({ method: "POST", url: "/stage/sessions/vpc-ok/extend", body: '{"ttl":"1h"}' });
    expect(extend.headers["content-type"]).toBe("application/json");
  });

  it("turns the API's error body into its code, message, field and fix", async () => {
    await expect(client().get("vpc-api")).rejects.toMatchObject({
      status: 409,
      code: "session_closing",
      message: "closing",
      field: "vpcId",
      fix: "retry",
    });
  });

  it("tells API Gateway's own refusals: a 403 is forbidden with the fix, any other status by number", async () => {
    const refused = await client()
      .get("vpc-gateway")
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 403, code: "forbidden", message: "Missing Authentication Token" });
    expect((refused as ApiError).fix).toContain("execute-api:Invoke");
    await expect(client().get("vpc-throttled")).rejects.toMatchObject({ status: 429, code: "http_429", message: "Too Many Requests" });
  });

  it("says what came back when a reply is not JSON, empty or not", async () => {
    await expect(client().get("vpc-html")).rejects.toMatchObject({
      status: 502,
      code: "bad_reply",
      message: expect.stringContaining("<html>Bad Gateway"),
    });
    await expect(client().get("vpc-empty")).rejects.toMatchObject({
      status: 500,
      code: "bad_reply",
      message: expect.stringContaining("(empty)"),
    });
    await expect(client().get("vpc-text")).rejects.toMatchObject({
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
