import { parseDuration } from "../core/duration.js";
import { ACCOUNT_ID, INSTANCE_ID, VPC_ID } from "../core/ids.js";

/** A slash command's text, understood. Anything else is `invalid` with a message saying what to type. */
export type SlackCommand =
  | {
      kind: "open";
      target: { instanceId: string } | { vpcId: string };
      ttl?: string | number;
      reason?: string;
      /** `--restart-agent`: ssm-knock may reboot the instance once if its agent does not connect. */
      restartAgent?: "if-offline";
      /** `--account 222222222222`: the member account the instance or VPC is in (default: the service's own). */
      accountId?: string;
    }
  | { kind: "extend"; id: string; ttl: string | number }
  | { kind: "close"; id: string }
  | { kind: "status"; id: string }
  | { kind: "list" }
  | { kind: "help" }
  | { kind: "invalid"; message: string };

export const USAGE = [
  "`open <i-…|vpc-…> [ttl] [--restart-agent] [--account <id>] [reason…]`: open Session Manager access (ttl such as `2h`, `90m`; `--restart-agent` lets ssm-knock reboot the instance once if its agent does not connect; `--account` names the AWS account it is in)",
  "`extend <vpc-…> <ttl>`: keep a session open until <ttl> from now",
  "`close <vpc-…>`: close a session now",
  "`status <vpc-…>`: show a session",
  "`list`: show every open session",
  "`help`: this text",
];

/** "2h", "90m", "1h30m", "1d", or a number of hours, as in the API. */
function ttlOf(word: string | undefined): string | number | undefined {
  if (!word) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(word)) return parseDuration(Number(word)) === undefined ? undefined : Number(word);
  return parseDuration(word) === undefined ? undefined : word;
}

const sessionId = (word: string | undefined, command: string): { id: string } | { message: string } => {
  if (!word) return { message: `\`${command}\` needs a session id, the VPC id: \`${command} vpc-0123456789abcdef0\`.` };
  if (!VPC_ID.test(word))
    return {
      message: `\`${word.slice(0, 40)}\` is not a session id; sessions are named by their VPC id, such as \`vpc-0123456789abcdef0\` (see \`list\`).`,
    };
  return { id: word };
};

/** `--account <12 digits>` (or `--account=<id>`) anywhere among the words, taken out of them. */
function accountOption(words: string[]): { accountId?: string; rest: string[] } | { message: string } {
  const at = words.findIndex((word) => word === "--account" || word.startsWith("--account="));
  if (at === -1) return { rest: words };
  const inline = words[at].startsWith("--account=");
  const value = inline ? words[at].slice("--account=".length) : words[at + 1];
  if (!value || !ACCOUNT_ID.test(value))
    return { message: "`--account` needs a 12-digit AWS account id: `open i-0123456789abcdef0 2h --account 222222222222 debugging`." };
  const rest = [...words.slice(0, at), ...words.slice(at + (inline ? 1 : 2))];
  if (rest.some((word) => word === "--account" || word.startsWith("--account="))) return { message: "Give `--account` once." };
  return { accountId: value, rest };
}

export function parseCommandText(text: string): SlackCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [verb = "help", ...rest] = words;
  switch (verb.toLowerCase()) {
    case "help":
      return { kind: "help" };
    case "list":
      return rest.length ? { kind: "invalid", message: "`list` takes no arguments." } : { kind: "list" };
    case "open": {
      const restartAgent = rest.includes("--restart-agent") ? ("if-offline" as const) : undefined;
      const account = accountOption(rest);
      if ("message" in account) return { kind: "invalid", message: account.message };
      const [target, ...more] = account.rest.filter((word) => word !== "--restart-agent");
      if (!target) return { kind: "invalid", message: "`open` needs an instance or VPC id: `open i-0123456789abcdef0 2h debugging`." };
      const key = INSTANCE_ID.test(target) ? "instanceId" : VPC_ID.test(target) ? "vpcId" : undefined;
      if (!key)
        return { kind: "invalid", message: `\`${target.slice(0, 40)}\` is neither an instance id (\`i-…\`) nor a VPC id (\`vpc-…\`).` };
      const ttl = ttlOf(more[0]);
      const reasonWords = ttl === undefined ? more : more.slice(1);
      const reason = reasonWords.join(" ") || undefined;
      return {
        kind: "open",
        target: key === "instanceId" ? { instanceId: target } : { vpcId: target },
        ttl,
        reason,
        ...(restartAgent ? { restartAgent } : {}),
        ...(account.accountId ? { accountId: account.accountId } : {}),
      };
    }
    case "extend": {
      const id = sessionId(rest[0], "extend");
      if ("message" in id) return { kind: "invalid", message: id.message };
      const ttl = ttlOf(rest[1]);
      if (ttl === undefined || rest.length > 2)
        return { kind: "invalid", message: "`extend` needs a duration: `extend vpc-0123456789abcdef0 1h`." };
      return { kind: "extend", id: id.id, ttl };
    }
    case "close":
    case "status": {
      const id = sessionId(rest[0], verb.toLowerCase());
      if ("message" in id) return { kind: "invalid", message: id.message };
      if (rest.length > 1) return { kind: "invalid", message: `\`${verb.toLowerCase()}\` takes only the session id.` };
      return { kind: verb.toLowerCase() as "close" | "status", id: id.id };
    }
    default:
      return { kind: "invalid", message: `I don't know \`${verb.slice(0, 20)}\`.` };
  }
}
