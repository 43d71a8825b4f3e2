import { Agent, type ClientRequest, createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { router } from "../../../local/http.js";

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer(
    router([
      {
        method: "POST",
        path: "/echo",
        functionName: "echo",

        handler: async (event, context) => ({
          statusCode: 200,
          body: JSON.stringify({ bytes: event.body?.length ?? 0, fn: context.functionName }),
        }),
      },
    ]),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

interface Answer {
  status: number;
  body: string;
  reusedSocket: boolean;
}

/** One request through `agent`, so two calls share its one keep-alive connection. */
function send(agent: Agent, method: string, path: string, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req: ClientRequest = request(
      { host: "127.0.0.1", port, method, path, agent, headers: { "content-type": "application/json" } },
      (res) => {
        let text = "";
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, reusedSocket: req.reusedSocket }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("local mode's HTTP server", () => {
  it("answers 413 to a body over the limit and serves the next request on the same keep-alive connection", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const tooLarge = await send(agent, "POST", "/echo", Buffer.alloc(1_572_864, "a"));
      expect(tooLarge.status).toBe(413);
      expect(JSON.parse(tooLarge.body).error.code).toBe("payload_too_large");
      const next = await send(agent, "POST", "/echo", Buffer.from('{"a":1}'));
      expect(next).toMatchObject({ status: 200, reusedSocket: true });
      expect(JSON.parse(next.body)).toEqual({ bytes: 7, fn: "echo" });
    } finally {
      agent.destroy();
    }
  });
});
