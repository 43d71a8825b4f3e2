import type { ApiSession, OpenReply } from "./api-types.js";
import { ApiError, CliError } from "./errors.js";
import type { Authenticate } from "./signing.js";

export interface OpenBody {
  instanceId?: string;
  vpcId?: string;
  ttl?: string;
  reason?: string;
  region?: string;
  /** The member account of the organization (default: the service's own). */
  accountId?: string;
  restartAgent?: "if-offline" | "never";
}

/** A reply's status and JSON body. */
export interface Reply<T> {
  status: number;
  body: T;
}

/** The error a reply carries: the API's `{"error": {...}}`, API Gateway's `{"message"}`, or whatever came back. */
function errorOf(status: number, text: string, url: URL): ApiError {
  let body: { error?: { code?: string; message?: string; field?: string; fix?: string }; message?: string } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    return new ApiError(status, "bad_reply", `HTTP ${status} from ${url.origin}${url.pathname}: ${text.slice(0, 200) || "(empty)"}`);
  }
  if (body?.error?.message)
    return new ApiError(status, body.error.code ?? `http_${status}`, body.error.message, body.error.field, body.error.fix);
  // API Gateway's own refusals (IAM authorization) carry only a message.
  const fix =
    status === 403
      ? "API Gateway refused the signed request: check the credentials (--profile) and that they may execute-api:Invoke this route."
      : undefined;
  return new ApiError(status, status === 403 ? "forbidden" : `http_${status}`, body?.message ?? `HTTP ${status}`, undefined, fix);
}

/** The ssm-knock HTTP API (README, "API"), every request authenticated. */
export class ApiClient {
  constructor(
    private readonly base: URL,
    private readonly authenticate: Authenticate,
    private readonly timeoutMs = 30_000,
  ) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    const url = new URL(`${this.base.pathname.replace(/\/$/, "")}${path}`, this.base);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers = await this.authenticate({
      method,
      url,
      headers: { accept: "application/json", ...(text === undefined ? {} : { "content-type": "application/json" }) },
      body: text,
    });
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: text, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      const reason = (error as { cause?: { code?: string; message?: string } }).cause;
      const cause = reason?.code ?? reason?.message ?? (error as Error).message;
      throw new CliError(
        `Cannot reach the API at ${url.origin} (${cause}); is the URL right${url.protocol === "http:" ? ", and local mode running (npm start)" : ""}?`,
        undefined,
        {
          cause: error,
        },
      );
    }
    const reply = await response.text();
    if (!response.ok) throw errorOf(response.status, reply, url);
    try {
      return { status: response.status, body: JSON.parse(reply) as T };
    } catch {
      throw new ApiError(
        response.status,
        "bad_reply",
        `HTTP ${response.status} from ${url.origin}${url.pathname} is not JSON: ${reply.slice(0, 200)}`,
      );
    }
  }

  open(body: OpenBody): Promise<Reply<OpenReply>> {
    return this.call("POST", "/sessions", body);
  }

  list(): Promise<Reply<{ sessions: ApiSession[] }>> {
    return this.call("GET", "/sessions");
  }

  get(id: string): Promise<Reply<{ session: ApiSession }>> {
    return this.call("GET", `/sessions/${encodeURIComponent(id)}`);
  }

  extend(id: string, ttl: string): Promise<Reply<{ session: ApiSession }>> {
    return this.call("POST", `/sessions/${encodeURIComponent(id)}/extend`, { ttl });
  }

  close(id: string): Promise<Reply<{ session: ApiSession; bill?: { usd: number; endpointHours: number } }>> {
    return this.call("DELETE", `/sessions/${encodeURIComponent(id)}`);
  }
}
