import { createServer, request as forward, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An HTTP proxy on 127.0.0.1 in front of moto that answers chosen CloudFormation and Scheduler
 * requests with real AWS error responses, so the real SDK (retry middleware included) sees them.
 * aws-sdk-client-mock replaces `send` and would skip the retries this exists to exercise.
 */

export type Service = "cloudformation" | "scheduler";

export interface Fault {
  service: Service;
  /** The API action: "CreateStack", "CreateSchedule", ... */
  action: string;
  /** How many matching requests get the fault; then they pass through. Default: all. */
  times?: number;
  /** throttle: the service's throttling error (retryable); deny: AccessDenied (not retryable);
   * pretend: a success answered without telling moto (an operation AWS accepted but that did
   * not happen, as a DeleteStack that will end in DELETE_FAILED). */
  reply: "throttle" | "deny" | "pretend";
}

/** Rewrites moto's answer to matching requests, e.g. to report a stack status moto cannot reach. */
export interface Rewrite {
  service: Service;
  action: string;
  edit: (body: string) => string;
}

const SCHEDULER_ROUTES: [string, RegExp, string][] = [
  ["POST", /^\/schedules\/[^/]+$/, "CreateSchedule"],
  ["PUT", /^\/schedules\/[^/]+$/, "UpdateSchedule"],
  ["GET", /^\/schedules\/[^/]+$/, "GetSchedule"],
  ["DELETE", /^\/schedules\/[^/]+$/, "DeleteSchedule"],
  ["GET", /^\/schedules$/, "ListSchedules"],
  ["POST", /^\/schedule-groups\/[^/]+$/, "CreateScheduleGroup"],
];

/** The signing scope names the service: Credential=AKID/date/region/<service>/aws4_request. */
const serviceOf = (request: IncomingMessage) => /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(request.headers.authorization ?? "")?.[1];

function actionOf(service: string | undefined, request: IncomingMessage, body: string): string | undefined {
  if (service === "cloudformation") return new URLSearchParams(body).get("Action") ?? undefined;
  if (service === "scheduler") {
    const path = (request.url ?? "").split("?")[0];
    return SCHEDULER_ROUTES.find(([method, pattern]) => method === request.method && pattern.test(path))?.[2];
  }
  return undefined;
}

function fail(response: ServerResponse, service: Service, action: string, reply: Fault["reply"]) {
  if (service === "cloudformation") {
    const [status, code, message] =
      reply === "throttle"
        ? [400, "Throttling", "Rate exceeded"]
        : [403, "AccessDenied", `not authorized to perform: cloudformation:${action}`];
    if (reply === "pretend") {
      response.writeHead(200, { "content-type": "text/xml" });
      response.end(
        `<${action}Response xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><${action}Result/><ResponseMetadata><RequestId>proxy</RequestId></ResponseMetadata></${action}Response>`,
      );
      return;
    }
    response.writeHead(status, { "content-type": "text/xml" });
    response.end(
      `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>proxy</RequestId></ErrorResponse>`,
    );
    return;
  }
  if (reply === "pretend") {
    response.writeHead(200, { "content-type": "application/json" });
    response.end("{}");
    return;
  }
  const [status, type, message] =
    reply === "throttle"
      ? [429, "ThrottlingException", "Rate exceeded"]
      : [403, "AccessDeniedException", `not authorized to perform: scheduler:${action}`];
  response.writeHead(status, { "content-type": "application/json", "x-amzn-errortype": type });
  response.end(JSON.stringify({ message }));
}

export interface FaultProxy {
  url: string;
  inject(fault: Fault): void;
  rewrite(rewrite: Rewrite): void;
  /** Drops every fault and rewrite: from now on the proxy only passes requests through. */
  clear(): void;
  /** Faults served so far, as "service:Action:reply". */
  served: string[];
  stop(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  let faults: (Fault & { left: number })[] = [];
  let rewrites: Rewrite[] = [];
  const served: string[] = [];
  const upstream = new URL(target);

  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const service = serviceOf(request) as Service | undefined;
    const action = actionOf(service, request, body.toString("utf8"));
    const fault = faults.find((f) => f.service === service && f.action === action && f.left > 0);
    if (fault && service && action) {
      fault.left -= 1;
      served.push(`${service}:${action}:${fault.reply}`);
      fail(response, service, action, fault.reply);
      return;
    }
    const edit = rewrites.find((r) => r.service === service && r.action === action)?.edit;
    const outbound = forward(
      { host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers },
      (answer) => {
        const parts: Buffer[] = [];
        answer.on("data", (part: Buffer) => parts.push(part));
        answer.on("end", () => {
          let text = Buffer.concat(parts);
          if (edit) text = Buffer.from(edit(text.toString("utf8")));
          const headers = { ...answer.headers, "content-length": String(text.length) };
          delete headers["transfer-encoding"];
          response.writeHead(answer.statusCode ?? 502, headers);
          response.end(text);
        });
      },
    );
    outbound.on("error", (error) => {
      response.writeHead(502);
      response.end(String(error));
    });
    outbound.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    inject: (fault) => faults.push({ ...fault, left: fault.times ?? Number.POSITIVE_INFINITY }),
    rewrite: (rewrite) => rewrites.push(rewrite),
    clear: () => {
      faults = [];
      rewrites = [];
    },
    served,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
