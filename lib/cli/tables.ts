import { type ApiSession, instancesOf } from "./api-types.js";
import { failingChecks } from "./wait.js";

/** Columns padded to their widest cell; the last column is not padded. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, index) => Math.max(title.length, ...rows.map((row) => (row[index] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => (index === cells.length - 1 ? cell : cell.padEnd(widths[index])))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** "2026-11-30 12:00Z (in 1h 45m)": the expiry in UTC and, from the service's own clock, how far off it is. */
export function expiry(session: Pick<ApiSession, "expiresAt" | "expiresIn" | "status">): string {
  const at = session.expiresAt.replace("T", " ").replace(/:00Z$|Z$/, "Z");
  const live = session.status === "creating" || session.status === "ready";
  return live ? `${at} (in ${session.expiresIn})` : at;
}

/** yes, no, or ? while the API does not know (or does not report readiness). */
export const yesNo = (value: boolean | null | undefined) => (value === true ? "yes" : value === false ? "no" : "?");

export const usd = (value: number) => `$${value.toFixed(2)}`;

/** `ssm-knock ls`: one line per session. */
export function sessionsTable(sessions: ApiSession[]): string {
  if (!sessions.length) return "No sessions.";
  return table(
    ["SESSION", "ACCOUNT", "REGION", "STATUS", "CONNECTABLE", "EXPIRES (UTC)", "COST", "INSTANCES", "REQUESTERS"],
    sessions.map((s) => [
      s.id,
      s.accountId ?? "-",
      s.region,
      s.status,
      yesNo(s.connectable),
      expiry(s),
      usd(s.estimatedCostUsd),
      instancesOf(s)
        .map((i) => i.id)
        .join(","),
      s.requesters.join(","),
    ]),
  );
}

/** `ssm-knock status`: the session, its endpoints, and each instance with the checks that fail and their fixes. */
export function sessionDetail(session: ApiSession): string {
  const status = `${session.status}${session.stackStatus ? ` (${session.stackStatus})` : ""}${session.statusReason ? `: ${session.statusReason}` : ""}`;
  const fields: [string, string][] = [
    ["Session", `${session.id} (${session.region})`],
    ["Account", session.accountId ?? "-"],
    ["Status", status],
    ["Connectable", yesNo(session.connectable)],
    ["Expires", expiry(session)],
    ["Cost", `${usd(session.estimatedCostUsd)} (estimated)`],
    ["Requested by", `${session.requestedBy}${session.reason ? `: "${session.reason}"` : ""}`],
    ["Requesters", session.requesters.join(", ")],
    ["Endpoints", session.endpoints.map((e) => `${e.service} ${e.state}`).join(", ")],
  ];
  if (session.connect) fields.push(["Connect", session.connect]);
  const width = Math.max(...fields.map(([name]) => name.length));
  const head = fields.map(([name, value]) => `${name.padEnd(width)}  ${value}`).join("\n");
  const instances = instancesOf(session);
  if (!instances.length) return head;
  const rows = table(
    ["INSTANCE", "PING", "AGENT", "LAST PING (UTC)", "CONNECTABLE"],
    instances.map((i) => [i.id, i.pingStatus, i.agentVersion ?? "-", i.lastPingAt ?? "-", yesNo(i.connectable)]),
  );
  const checks = instances.flatMap((i) => {
    const failing = failingChecks(i);
    return failing.length ? [`${i.id}:`, ...failing] : [];
  });
  return [head, "", rows, ...(checks.length ? ["", ...checks] : [])].join("\n");
}
