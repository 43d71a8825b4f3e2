import { type OpenReply, reachableLine } from "./api-types.js";
import type { Command } from "./args.js";
import { openBody } from "./connect.js";
import type { CliContext } from "./context.js";
import { expiry, sessionDetail, sessionsTable } from "./tables.js";
import { type InstanceDirectory, instanceNamed, parseTarget, sessionIdOf } from "./targets.js";

type ManageCommand = Extract<Command, { name: "open" | "ls" | "status" | "extend" | "close" }>;

/** What `open` says in table mode: opened or joined, until when, and how to connect. */
function openSummary(reply: OpenReply, status: number): string {
  if ("alreadyReachable" in reply) return reachableLine(reply);
  const { session, warnings = [] } = reply;
  const lines = [
    `${status === 202 ? "opened" : "joined"} ${session.id} (${session.region}): ${session.status}, expires ${expiry(session)}`,
  ];
  if (session.requesters.length > 1) lines.push(`requesters: ${session.requesters.join(", ")}`);
  lines.push(...warnings.map((warning) => `warning: ${warning}`));
  if (session.connect) lines.push(`connect: ${session.connect}`);
  return lines.join("\n");
}

/** The open body's target: an instance (a Name tag resolved) or a VPC. */
async function openTarget(text: string, directory: () => InstanceDirectory): Promise<{ instanceId: string } | { vpcId: string }> {
  const target = parseTarget(text);
  if (target.kind === "vpc") return { vpcId: target.id };
  if (target.kind === "instance") return { instanceId: target.id };
  return { instanceId: (await instanceNamed(target.name, directory())).instanceId };
}

/**
 * `open`, `ls`, `status`, `extend`, `close`: one API call each (after resolving the target), the
 * API's JSON with --output json, a short table otherwise.
 *
 * @example
 * await runManageCommand(context, { name: "extend", target: "vpc-0a1b2c3d4e5f60718", ttl: "3h" });
 */
export async function runManageCommand(context: CliContext, command: ManageCommand): Promise<number> {
  const { api, directory, settings } = context;
  const print = (body: unknown, text: () => string) =>
    context.io.stdout.write(`${settings.output === "json" ? JSON.stringify(body, null, 2) : text()}\n`);
  switch (command.name) {
    case "open": {
      const reply = await api.open(openBody(await openTarget(command.target, directory), command, settings.region, settings.account));
      print(reply.body, () => openSummary(reply.body, reply.status));
      return 0;
    }
    case "ls": {
      const { body } = await api.list();
      print(body, () => sessionsTable(body.sessions));
      return 0;
    }
    case "status": {
      const { body } = await api.get(await sessionIdOf(parseTarget(command.target), directory));
      print(body, () => sessionDetail(body.session));
      return 0;
    }
    case "extend": {
      const { body } = await api.extend(await sessionIdOf(parseTarget(command.target), directory), command.ttl);
      print(body, () => `extended ${body.session.id}: expires ${expiry(body.session)}`);
      return 0;
    }
    case "close": {
      const { body } = await api.close(await sessionIdOf(parseTarget(command.target), directory));
      const bill = body.bill ? `; USD ${body.bill.usd.toFixed(2)} for ${body.bill.endpointHours} endpoint-hours` : "";
      print(body, () => `closing ${body.session.id}: its endpoints are being deleted${bill}`);
      return 0;
    }
  }
}
