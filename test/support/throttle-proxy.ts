import { createServer, request as forward, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An HTTP proxy on 127.0.0.1 in front of moto that answers chosen CloudFormation and Scheduler
 * requests with real AWS error responses (or cuts the connection), so the real SDK (retry
 * middleware included) sees them. aws-sdk-client-mock replaces `send` and would skip the retries
 * this exists to exercise. It also holds or delays chosen requests, counts how many of each are
 * in flight at once, and records the Lambda invocations that pass through it (moto accepts them
 * but cannot run a function without Docker, and keeps no record of their payloads).
 */

export type Service = "cloudformation" | "scheduler" | "lambda";

export interface Fault {
  service: Service;
  /** The API action: "CreateStack", "CreateSchedule", ... */
  action: string;
  /** How many matching requests get the fault; then they pass through. Default: all. */
  times?: number;
  /** throttle: the service's throttling error (retryable); deny: AccessDenied (not retryable);
   * timeout: HTTP 408 RequestTimeout (retryable); reset: the connection is cut before any answer
   * (ECONNRESET, retryable); missing: ResourceNotFoundException (Scheduler's answer for a group
   * that does not exist, where moto answers HTTP 500); pretend: a success answered without telling moto (an operation AWS
   * accepted but that did not happen, as a DeleteStack that will end in DELETE_FAILED). */
  reply: "throttle" | "deny" | "timeout" | "reset" | "missing" | "pretend";
}

/** Rewrites moto's answer to matching requests, e.g. to report a stack status moto cannot reach. */
export interface Rewrite {
  service: Service;
  action: string;
  edit: (body: string) => string;
}

/** Work done around matching requests that pass through: `before` runs before moto sees the
 * request (hold it, delay it), `after` once moto answered and before the caller gets the answer. */
export interface Hook {
  /** The requests it applies to, as "service:Action" ("cloudformation:CreateStack"). */
  calls: string[];
  /** How many matching requests (of all its calls together) get the hook. Default: all. */
  times?: number;
  before?: () => Promise<void>;
  after?: () => Promise<void>;
}

/** A Lambda Invoke that reached moto, with moto's answer. */
export interface Invocation {
  functionName: string;
  invocationType: string;
  payload: string;
  status: number;
}

const SCHEDULER_ROUTES: [string, RegExp, string][] = [
  ["POST", /^\/schedules\/[^/]+$/, "CreateSchedule"],
  ["PUT", /^\/schedules\/[^/]+$/, "UpdateSchedule"],
  ["GET", /^\/schedules\/[^/]+$/, "GetSchedule"],
  ["DELETE", /^\/schedules\/[^/]+$/, "DeleteSchedule"],
  ["GET", /^\/schedules$/, "ListSchedules"],
  ["POST", /^\/schedule-groups\/[^/]+$/, "CreateScheduleGroup"],
  ["DELETE", /^\/schedule-groups\/[^/]+$/, "DeleteScheduleGroup"],
];
const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** The signing scope names the service: Credential=AKID/date/region/<service>/aws4_request. */
const serviceOf = (request: IncomingMessage) => /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(request.headers.authorization ?? "")?.[1];

function actionOf(service: string | undefined, request: IncomingMessage, body: string): string | undefined {
  const path = (request.url ?? "").split("?")[0];
  if (service === "cloudformation") return new URLSearchParams(body).get("Action") ?? undefined;
  if (service === "scheduler") return SCHEDULER_ROUTES.find(([method, pattern]) => method === request.method && pattern.test(path))?.[2];
  if (service === "lambda" && request.method === "POST" && INVOKE.test(path)) return "Invoke";
  return undefined;
}

function fail(response: ServerResponse, service: Service, action: string, reply: Fault["reply"]) {
  if (reply === "reset") {
    response.socket?.destroy();
    return;
  }
  if (service === "cloudformation") {
    if (reply === "pretend") {
      response.writeHead(200, { "content-type": "text/xml" });
      response.end(
        `<${action}Response xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><${action}Result/><ResponseMetadata><RequestId>proxy</RequestId></ResponseMetadata></${action}Response>`,
      );
      return;
    }
    const [status, code, message] = {
      throttle: [400, "Throttling", "Rate exceeded"],
      timeout: [408, "RequestTimeout", "Request timed out"],
      deny: [403, "AccessDenied", `not authorized to perform: cloudformation:${action}`],
      missing: [400, "ValidationError", "Stack does not exist"],
    }[reply];
    response.writeHead(status as number, { "content-type": "text/xml" });
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
  const [status, type, message] = {
    throttle: [429, "ThrottlingException", "Rate exceeded"],
    timeout: [408, "RequestTimeoutException", "Request timed out"],
    deny: [403, "AccessDeniedException", `not authorized to perform: ${service}:${action}`],
    missing: [404, "ResourceNotFoundException", "Schedule group does not exist."],
  }[reply];
  response.writeHead(status as number, { "content-type": "application/json", "x-amzn-errortype": type as string });
  response.end(JSON.stringify({ message }));
}

export interface FaultProxy {
  url: string;
  inject(fault: Fault): void;
  rewrite(rewrite: Rewrite): void;
  hook(hook: Hook): void;
  /** Drops every fault, rewrite and hook: from now on the proxy only passes requests through. */
  clear(): void;
  /** Faults served so far, as "service:Action:reply". */
  served: string[];
  /** Requests moto answered, as "service:Action:status", in the order the answers went back. */
  passed: string[];
  /** The Lambda invocations moto received. */
  invocations: Invocation[];
  /** The most requests of "service:Action" that were in flight at once. */
  peak(key: string): number;
  stop(): Promise<void>;
}

/** The items that match and have uses left, one use of each taken. */
function take<T extends { left: number }>(items: T[], matches: (item: T) => boolean): T[] {
  const taken = items.filter((item) => item.left > 0 && matches(item));
  for (const item of taken) item.left -= 1;
  return taken;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  let faults: (Fault & { left: number })[] = [];
  let rewrites: Rewrite[] = [];
  let hooks: (Hook & { left: number })[] = [];
  const served: string[] = [];
  const passed: string[] = [];
  const invocations: Invocation[] = [];
  const inFlight = new Map<string, number>();
  const peaks = new Map<string, number>();
  const upstream = new URL(target);

  const relay = (request: IncomingMessage, body: Buffer, edit?: (text: string) => string) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve) => {
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
            resolve({ status: answer.statusCode ?? 502, headers, body: text });
          });
        },
      );
      outbound.on("error", (error) => resolve({ status: 502, headers: {}, body: Buffer.from(String(error)) }));
      outbound.end(body);
    });

  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const service = serviceOf(request) as Service | undefined;
    const action = actionOf(service, request, body.toString("utf8"));
    const key = `${service}:${action}`;
    inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
    peaks.set(key, Math.max(peaks.get(key) ?? 0, inFlight.get(key) ?? 0));
    response.on("close", () => inFlight.set(key, (inFlight.get(key) ?? 1) - 1));
    const first = faults.find((f) => f.left > 0 && f.service === service && f.action === action);
    const [fault] = first ? take([first], () => true) : [];
    if (fault && service && action) {
      served.push(`${service}:${action}:${fault.reply}`);
      fail(response, service, action, fault.reply);
      return;
    }
    const matched = take(hooks, (h) => h.calls.includes(key));
    for (const hook of matched) await hook.before?.();
    const edit = rewrites.find((r) => r.service === service && r.action === action)?.edit;
    const answer = await relay(request, body, edit);
    for (const hook of matched) await hook.after?.();
    if (action === "Invoke") {
      invocations.push({
        functionName: decodeURIComponent(INVOKE.exec((request.url ?? "").split("?")[0])?.[1] ?? ""),
        invocationType: String(request.headers["x-amz-invocation-type"] ?? "RequestResponse"),
        payload: body.toString("utf8"),
        status: answer.status,
      });
    }
    passed.push(`${key}:${answer.status}`);
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    inject: (fault) => faults.push({ ...fault, left: fault.times ?? Number.POSITIVE_INFINITY }),
    rewrite: (rewrite) => rewrites.push(rewrite),
    hook: (hook) => hooks.push({ ...hook, left: hook.times ?? Number.POSITIVE_INFINITY }),
    clear: () => {
      faults = [];
      rewrites = [];
      hooks = [];
      served.length = 0;
      passed.length = 0;
      invocations.length = 0;
      peaks.clear();
    },
    served,
    passed,
    invocations,
    peak: (key) => peaks.get(key) ?? 0,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Reports a stack in `status` to DescribeStacks, as AWS would in a state moto never shows. */
export function reportStackStatus(proxy: FaultProxy, stackName: string, status: string): void {
  proxy.rewrite({
    service: "cloudformation",
    action: "DescribeStacks",
    edit: (body) =>
      body.replace(new RegExp(`(<StackName>${stackName}</StackName>[\\s\\S]*?<StackStatus>)[A-Z_]+(</StackStatus>)`), `$1${status}$2`),
  });
}

/** A gate that holds requests until it is opened; `waiting` counts the ones it holds. */
export function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  const state = { waiting: 0, open: () => open() };
  return Object.assign(state, {
    hold: async () => {
      state.waiting += 1;
      await opened;
    },
  });
}
