import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { verifySigV4 } from "./sigv4.js";

/** Where a fake session stands on one GET: the steps a real one goes through on its way to a shell. */
export type Step = "creating" | "offline" | "online" | "connectable";

export interface FakeOptions {
  /** The instances the fake world knows, by id, with their VPC. */
  instances: Record<string, string>;
  /** The steps a new session's GETs go through; the last one repeats. */
  steps?: Step[];
  /** Whether GET reports readiness (instances' connectable and checks); false plays an API before it. */
  readiness?: boolean;
  /** Whether restartAgent is allowed (the deployment's ALLOW_REBOOT). */
  allowReboot?: boolean;
}

interface FakeSession {
  id: string;
  instances: string[];
  requesters: string[];
  status: "creating" | "ready" | "closing";
  expiresAt: string;
  reason: string | null;
  gets: number;
  steps: Step[];
}

const FAILING_CHECK = {
  name: "instance-profile",
  status: "fail",
  message: "The instance has no instance profile, so its SSM Agent cannot authenticate.",
  fix: "Attach an instance profile whose role carries AmazonSSMManagedInstanceCore.",
};

/**
 * A real HTTP server on 127.0.0.1 that plays the ssm-knock API for the CLI's tests: sessions go
 * from creating through ready to connectable, one step per GET, and every request is checked
 * the way API Gateway would (a valid SigV4 signature, or local mode's x-ssm-knock-user). `log`
 * is the order of what happened, stand-in `aws` calls included (they POST to /__standin).
 */
export class FakeApi {
  readonly log: string[] = [];
  readonly sessions = new Map<string, FakeSession>();
  url = "";
  /** Runs when a stand-in `aws` reports it was called (e.g. to let someone join meanwhile). */
  onStandIn?: () => void;
  private server?: Server;

  constructor(private readonly options: FakeOptions) {}

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        this.handle(request, body, response).catch((error) =>
          this.reply(response, 500, { error: { code: "fake_failed", message: String(error) } }),
        );
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** Someone else joins the session, as a second POST /sessions would. */
  join(id: string, who: string): void {
    this.sessions.get(id)?.requesters.push(who);
    this.log.push(`join ${id} by ${who}`);
  }

  private reply(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  }

  private async identity(request: IncomingMessage, body: string): Promise<string | undefined> {
    if (request.headers.authorization) {
      const verified = await verifySigV4(request, body).catch(() => undefined);
      return verified && `arn:aws:iam::123456789012:user/${verified.accessKeyId}`;
    }
    return request.headers["x-ssm-knock-user"] as string | undefined;
  }

  private async handle(request: IncomingMessage, body: string, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", this.url).pathname;
    if (path === "/__standin") {
      this.log.push(`aws ${JSON.parse(body).argv.join(" ")}`);
      this.onStandIn?.();
      return this.reply(response, 200, {});
    }
    const who = await this.identity(request, body);
    if (!who) return this.reply(response, 403, { message: "Missing Authentication Token" });
    const [, , id, action] = path.split("/");
    if (request.method === "POST" && path === "/sessions") return this.open(JSON.parse(body || "{}"), who, response);
    if (request.method === "GET" && path === "/sessions") {
      return this.reply(response, 200, { sessions: [...this.sessions.values()].map((s) => this.view(s, false)) });
    }
    const session = id ? this.sessions.get(id) : undefined;
    if (!session) return this.reply(response, 404, { error: { code: "not_found", message: `No session for ${id}.` } });
    if (request.method === "GET" && !action) {
      const view = this.view(session, true);
      this.log.push(`GET ${id} ${session.steps[Math.min(session.gets - 1, session.steps.length - 1)]}`);
      return this.reply(response, 200, { session: view });
    }
    if (request.method === "DELETE" && !action) {
      session.status = "closing";
      this.sessions.delete(session.id);
      this.log.push(`DELETE ${id} by ${who}`);
      return this.reply(response, 202, { session: this.view(session, false) });
    }
    if (request.method === "POST" && action === "extend") {
      this.log.push(`extend ${id} ${JSON.parse(body).ttl}`);
      return this.reply(response, 200, { session: this.view(session, false) });
    }
    return this.reply(response, 404, { error: { code: "not_found", message: `No route for ${request.method} ${path}.` } });
  }

  private open(body: { instanceId?: string; restartAgent?: string; reason?: string }, who: string, response: ServerResponse) {
    if (body.restartAgent && body.restartAgent !== "never" && !this.options.allowReboot) {
      return this.reply(response, 403, {
        error: {
          code: "forbidden",
          field: "restartAgent",
          message: "This deployment does not allow restartAgent (ALLOW_REBOOT is not true).",
        },
      });
    }
    const vpcId = body.instanceId ? this.options.instances[body.instanceId] : undefined;
    if (!body.instanceId || !vpcId) {
      return this.reply(response, 404, {
        error: { code: "not_found", field: "instanceId", message: `Instance ${body.instanceId} was not found.` },
      });
    }
    const existing = this.sessions.get(vpcId);
    if (existing) {
      if (!existing.requesters.includes(who)) existing.requesters.push(who);
      if (!existing.instances.includes(body.instanceId)) existing.instances.push(body.instanceId);
      this.log.push(`POST /sessions 200 ${vpcId} by ${who}`);
      return this.reply(response, 200, { session: this.view(existing, false) });
    }
    const session: FakeSession = {
      id: vpcId,
      instances: [body.instanceId],
      requesters: [who],
      status: "creating",
      expiresAt: "2026-11-30T12:00:00Z",
      reason: body.reason ?? null,
      gets: 0,
      steps: this.options.steps ?? ["creating", "offline", "online", "connectable"],
    };
    this.sessions.set(vpcId, session);
    this.log.push(`POST /sessions 202 ${vpcId} by ${who}${body.restartAgent ? ` restartAgent=${body.restartAgent}` : ""}`);
    return this.reply(response, 202, {
      session: this.view(session, false),
      warnings: ["none of the instance's security groups allows outbound TCP 443"],
    });
  }

  /** The session as the API shows it; a GET moves it one step on. */
  private view(session: FakeSession, advance: boolean) {
    if (advance) session.gets += 1;
    const step = session.gets === 0 ? "creating" : session.steps[Math.min(session.gets - 1, session.steps.length - 1)];
    const status = session.status === "closing" ? "closing" : step === "creating" ? "creating" : "ready";
    const readiness = this.options.readiness ?? true;
    const instances = session.instances.map((id) =>
      readiness
        ? {
            id,
            pingStatus: step === "online" || step === "connectable" ? "Online" : step === "offline" ? "ConnectionLost" : "unknown",
            agentVersion: "3.3.1000.0",
            lastPingAt: null,
            connectable: step === "connectable" ? true : step === "creating" ? null : false,
            checks: step === "offline" ? [FAILING_CHECK] : [],
          }
        : id,
    );
    return {
      id: session.id,
      vpcId: session.id,
      region: "eu-west-1",
      stackName: `ssm-knock-${session.id}`,
      status,
      createdAt: "2026-11-30T10:00:00Z",
      expiresAt: session.expiresAt,
      expiresIn: "2h",
      requestedBy: session.requesters[0],
      reason: session.reason,
      requesters: session.requesters,
      instances,
      ...(readiness ? { connectable: step === "connectable" } : {}),
      subnetIds: [],
      sourceSecurityGroupIds: [],
      sourceCidrs: [],
      endpoints: ["ssm", "ssmmessages", "ec2messages"].map((service) => ({
        service,
        id: null,
        state: step === "creating" ? "pending" : "available",
      })),
      connect: `aws ssm start-session --target ${session.instances[0]} --region eu-west-1`,
      estimatedCostUsd: 0.06,
    };
  }
}
