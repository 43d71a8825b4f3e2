import type { IncomingMessage, ServerResponse } from "node:http";
import type { APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { ApiEvent } from "../lib/api/http.js";
import { asFunction } from "./invocations.js";

export { localContext } from "./invocations.js";

export type RouteHandler = (event: ApiEvent, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface Route {
  method: string;
  /** An API Gateway path template such as /sessions/{id}/extend. */
  path: string;
  /** The function serving it, named as in serverless.yml: what its log lines say. */
  functionName: string;
  handler: RouteHandler;
}

const MAX_BODY_BYTES = 1_048_576;

function matchPath(template: string, path: string): Record<string, string> | undefined {
  const wanted = template.split("/");
  const actual = path.split("/");
  if (wanted.length !== actual.length) return undefined;
  const parameters: Record<string, string> = {};
  for (const [index, part] of wanted.entries()) {
    const value = actual[index] ?? "";
    if (part.startsWith("{") && part.endsWith("}")) {
      if (!value) return undefined;
      parameters[part.slice(1, -1)] = decodeURIComponent(value);
    } else if (part !== value) {
      return undefined;
    }
  }
  return parameters;
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    // API Gateway caps payloads too; the handlers' own limit (16 KiB) answers 413 below this.
    // Past the cap the rest is read and dropped rather than left unread: leaving the loop would
    // destroy the request, and with it the keep-alive connection the next request comes on.
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES) throw new Error("body too large");
  return chunks.length ? Buffer.concat(chunks).toString("utf8") : undefined;
}

/**
 * The API Gateway HTTP API (payload 2.0) event for a local request. The caller's identity, which
 * IAM authorization supplies in AWS, comes from the `x-ssm-knock-user` header.
 */
export function toApiEvent(request: IncomingMessage, url: URL, body: string | undefined, pathParameters: Record<string, string>): ApiEvent {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
  }
  const user = headers["x-ssm-knock-user"] || "local-user";
  const method = request.method ?? "GET";
  const now = new Date();
  return {
    version: "2.0",
    routeKey: `${method} ${url.pathname}`,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    queryStringParameters: Object.fromEntries(url.searchParams),
    headers,
    pathParameters,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: "123456789012",
      apiId: "local",
      domainName: url.host,
      domainPrefix: "local",
      http: {
        method,
        path: url.pathname,
        protocol: "HTTP/1.1",
        sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: `local-${now.getTime()}-${Math.random().toString(36).slice(2, 8)}`,
      routeKey: `${method} ${url.pathname}`,
      stage: "$default",
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      authorizer: {
        iam: {
          accessKey: "LOCAL",
          accountId: "123456789012",
          callerId: user,
          cognitoIdentity: null as never,
          principalOrgId: "",
          userArn: user,
          userId: user,
        },
      },
    },
  } as ApiEvent;
}

/** Serves routes the way API Gateway would: 404 for unknown paths, the handler's reply otherwise. */
export function router(routes: Route[]) {
  return async (request: IncomingMessage, response: ServerResponse) => {
    const send = (status: number, body: string, headers: Record<string, string> = { "content-type": "application/json" }) => {
      response.writeHead(status, headers);
      response.end(body);
    };
    try {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      for (const route of routes) {
        const parameters = route.method === request.method ? matchPath(route.path, url.pathname) : undefined;
        if (!parameters) continue;
        const body = await readBody(request);
        const event = toApiEvent(request, url, body, parameters);
        const result = await asFunction(route.functionName, (context) => route.handler(event, context));
        const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]));
        send(result.statusCode ?? 200, result.body ?? "", headers);
        return;
      }
      send(404, JSON.stringify({ error: { code: "not_found", message: `No route for ${request.method} ${url.pathname}.` } }));
    } catch (error) {
      const tooLarge = (error as Error).message === "body too large";
      send(
        tooLarge ? 413 : 500,
        JSON.stringify({ error: { code: tooLarge ? "payload_too_large" : "internal_error", message: (error as Error).message } }),
      );
    }
  };
}
