import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ApiClient } from "../../../lib/cli/api-client.js";
import { CliError } from "../../../lib/cli/errors.js";
import type { Settings } from "../../../lib/cli/settings.js";
import { authenticator } from "../../../lib/cli/signing.js";
import { TEST_CREDENTIALS, verifySigV4 } from "../../support/sigv4.js";

// The CLI's requests, as they reach a real HTTP server on 127.0.0.1, checked with the SDK's own
// SigV4 signer and the same static credentials.

interface Received {
  request: IncomingMessage;
  body: string;
}

let server: Server;
let url: string;
let received: Received[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push({ request, body });
      response.writeHead(request.method === "POST" ? 202 : 200, { "content-type": "application/json" });
      response.end(JSON.stringify({ session: { id: "vpc-0a1b2c3d4e5f60718" }, sessions: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received = [];
});

const settings = (overrides: Partial<Settings> = {}): Settings => ({
  api: new URL(url),
  local: true,
  region: "eu-west-1",
  signingRegion: "eu-west-1",
  user: "alice",
  output: "table",
  pollMs: 10,
  ...overrides,
});
const withCredentials = async () => TEST_CREDENTIALS;
const noCredentials = async () => {
  throw Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
};

describe("signing: the CLI's requests", () => {
  it("are signed with SigV4 for execute-api in the API's region, bodies and local mode's user header included", async () => {
    const api = new ApiClient(new URL(url), await authenticator(settings(), withCredentials));
    await api.open({ instanceId: "i-0123456789abcdef0", ttl: "2h", reason: "debug, with spaces & symbols" });
    await api.list();
    await api.get("vpc-0a1b2c3d4e5f60718");
    await api.extend("vpc-0a1b2c3d4e5f60718", "3h");
    await api.close("vpc-0a1b2c3d4e5f60718");
    expect(received.map((r) => `${r.request.method} ${r.request.url}`)).toEqual([
      "POST /sessions",
      "GET /sessions",
      "GET /sessions/vpc-0a1b2c3d4e5f60718",
      "POST /sessions/vpc-0a1b2c3d4e5f60718/extend",
      "DELETE /sessions/vpc-0a1b2c3d4e5f60718",
    ]);
    for (const { request, body } of received) {
      const verified = await verifySigV4(request, body);
      expect(verified).toMatchObject({ accessKeyId: TEST_CREDENTIALS.accessKeyId, region: "eu-west-1", service: "execute-api" });
      expect(verified.signedHeaders).toEqual(expect.arrayContaining(["host", "x-amz-date", "x-amz-security-token", "x-ssm-knock-user"]));
      expect(request.headers["x-ssm-knock-user"]).toBe("alice");
    }
    expect(JSON.parse(received[0].body)).toEqual({ instanceId: "i-0123456789abcdef0", ttl: "2h", reason: "debug, with spaces & symbols" });
  });

  it("would be refused if anything signed changed on the way (the check is not a formality)", async () => {
    const api = new ApiClient(new URL(url), await authenticator(settings(), withCredentials));
    await api.extend("vpc-0a1b2c3d4e5f60718", "3h");
    const [{ request, body }] = received;
    await expect(verifySigV4(request, body)).resolves.toBeTruthy();
    await expect(verifySigV4(request, body.replace("3h", "9h"))).rejects.toThrow(/does not match the body/);
    await expect(verifySigV4(request, body, { ...TEST_CREDENTIALS, secretAccessKey: "another" })).rejects.toThrow(/signature mismatch/);
  });

  it("sign for the region of an execute-api URL, not the region the instances are looked up in", async () => {
    const api = new ApiClient(
      new URL(url),
      await authenticator(settings({ region: "us-east-1", signingRegion: "ap-northeast-1" }), withCredentials),
    );
    await api.list();
    await expect(verifySigV4(received[0].request, received[0].body)).resolves.toMatchObject({ region: "ap-northeast-1" });
  });

  it("go unsigned to local mode when the credential chain finds nothing, naming the caller in x-ssm-knock-user", async () => {
    const api = new ApiClient(new URL(url), await authenticator(settings({ user: "bob" }), noCredentials));
    await api.list();
    expect(received[0].request.headers.authorization).toBeUndefined();
    expect(received[0].request.headers["x-ssm-knock-user"]).toBe("bob");
  });

  it("are not sent at all to a deployed API without credentials: the error says how to sign in", async () => {
    const remote = settings({ api: new URL("https://abc123.execute-api.eu-west-1.amazonaws.com"), local: false, profile: "prod" });
    const refused = authenticator(remote, noCredentials);
    await expect(refused).rejects.toThrow(CliError);
    await expect(refused).rejects.toThrow(/No AWS credentials.*aws sso login --profile prod/);
    expect(received).toEqual([]);
  });

  it("carry no x-ssm-knock-user to a deployed API (IAM says who is calling)", async () => {
    const sign = await authenticator(settings({ local: false }), withCredentials);
    const headers = await sign({ method: "GET", url: new URL(`${url}/sessions`), headers: {} });
    expect(headers["x-ssm-knock-user"]).toBeUndefined();
    expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
  });
});
