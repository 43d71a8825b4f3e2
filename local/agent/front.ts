import { createServer, request as forward, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// An HTTP front on 127.0.0.1 before moto (the idea of test/support/throttle-proxy.ts): it tells
// services apart by the SigV4 credential scope, lets the agent model answer what moto cannot, and
// passes everything else to moto unchanged.

export interface FrontRequest {
  service?: string;
  region?: string;
  /** The API action: the X-Amz-Target's operation, or a query protocol's Action. */
  action?: string;
  body: Buffer;
  /** The form or query parameters of a query-protocol request (EC2, CloudFormation, IAM). */
  params: URLSearchParams;
}

export interface FrontHooks {
  /** An answer instead of moto's (status and JSON body), or undefined to pass the request on. */
  answer(request: FrontRequest): Promise<{ status: number; body: unknown } | undefined>;
  /** Wraps the forwarding of a request (the model syncs around the ones that change the world). */
  around(request: FrontRequest, pass: () => Promise<number>): Promise<void>;
}

/** Credential=AKID/date/region/service/aws4_request. */
const SCOPE = /Credential=[^/]+\/[^/]+\/([^/]+)\/([^/]+)\//;

function parse(request: IncomingMessage, body: Buffer): FrontRequest {
  const scope = SCOPE.exec(request.headers.authorization ?? "");
  const target = request.headers["x-amz-target"];
  const query = new URL(request.url ?? "/", "http://front").searchParams;
  const form = String(request.headers["content-type"] ?? "").includes("x-www-form-urlencoded")
    ? new URLSearchParams(body.toString("utf8"))
    : new URLSearchParams();
  const params = new URLSearchParams([...query, ...form]);
  const action = typeof target === "string" ? target.split(".").pop() : (params.get("Action") ?? undefined);
  return { service: scope?.[2], region: scope?.[1], action, body, params };
}

function pass(target: URL, request: IncomingMessage, body: Buffer, response: ServerResponse): Promise<number> {
  return new Promise((resolve) => {
    const outbound = forward(
      { host: target.hostname, port: target.port, method: request.method, path: request.url, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        answer.on("end", () => resolve(answer.statusCode ?? 502));
      },
    );
    outbound.on("error", (error) => {
      response.writeHead(502, { "content-type": "text/plain" });
      response.end(`moto could not be reached: ${error.message}`);
      resolve(502);
    });
    outbound.end(body);
  });
}

export interface Front {
  url: string;
  stop(): Promise<void>;
}

export async function startFront(motoEndpoint: string, hooks: FrontHooks): Promise<Front> {
  const target = new URL(motoEndpoint);
  const server = createServer(async (request, response) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const parsed = parse(request, body);
      const answer = await hooks.answer(parsed);
      if (answer) {
        const text = JSON.stringify(answer.body);
        response.writeHead(answer.status, { "content-type": "application/x-amz-json-1.1", "content-length": Buffer.byteLength(text) });
        response.end(text);
        return;
      }
      await hooks.around(parsed, () => pass(target, request, body, response));
    } catch (error) {
      if (!response.headersSent) response.writeHead(500, { "content-type": "application/x-amz-json-1.1" });
      response.end(JSON.stringify({ __type: "InternalServerError", message: `local agent model: ${(error as Error).message}` }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
