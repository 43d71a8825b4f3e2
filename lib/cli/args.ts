import { type ParseArgsConfig, parseArgs } from "node:util";
import { parseDuration } from "../core/duration.js";
import { ACCOUNT_ID } from "../core/ids.js";
import { UsageError } from "./errors.js";
import { COMMAND_USAGE } from "./usage.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

const GLOBAL: Options = {
  api: { type: "string" },
  profile: { type: "string" },
  region: { type: "string" },
  account: { type: "string" },
  output: { type: "string" },
  json: { type: "boolean" },
  user: { type: "string" },
  help: { type: "boolean", short: "h" },
};

const OPEN: Options = { ttl: { type: "string" }, reason: { type: "string" }, "restart-agent": { type: "boolean" } };
const WAIT: Options = { ...OPEN, "wait-timeout": { type: "string" } };

/** Each command's own options and its positional arguments' names. */
const COMMANDS: Record<string, { options: Options; positionals: string[]; optional?: number }> = {
  connect: { options: { ...WAIT, "port-forward": { type: "string" }, keep: { type: "boolean" } }, positionals: ["target"] },
  proxy: { options: WAIT, positionals: ["target", "port"] },
  open: { options: OPEN, positionals: ["target"] },
  ls: { options: {}, positionals: [] },
  status: { options: {}, positionals: ["target"] },
  extend: { options: {}, positionals: ["target", "ttl"] },
  close: { options: {}, positionals: ["target"] },
  help: { options: {}, positionals: ["command"], optional: 1 },
};

export interface GlobalFlags {
  api?: string;
  profile?: string;
  region?: string;
  /** The AWS account the instances and sessions are in, when not the service's own. */
  account?: string;
  output?: "json" | "table";
  user?: string;
}

export interface PortForward {
  localPort: number;
  remotePort: number;
  /** A host the instance reaches (AWS-StartPortForwardingSessionToRemoteHost); the instance itself when absent. */
  host?: string;
}

export interface OpenFlags {
  ttl?: string;
  reason?: string;
  restartAgent: boolean;
}

export type Command =
  | ({ name: "connect"; target: string; portForward?: PortForward; keep: boolean; waitTimeoutMs: number } & OpenFlags)
  | ({ name: "proxy"; target: string; port: number; waitTimeoutMs: number } & OpenFlags)
  | ({ name: "open"; target: string } & OpenFlags)
  | { name: "ls" }
  | { name: "status"; target: string }
  | { name: "extend"; target: string; ttl: string }
  | { name: "close"; target: string }
  | { name: "help"; topic?: string };

export const DEFAULT_WAIT_TIMEOUT_MS = 15 * 60_000;

/** A TCP port, 1 to 65535. */
function port(text: string, what: string, command: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > 65_535)
    throw new UsageError(`${what} must be a port from 1 to 65535, not "${text}".`, command);
  return value;
}

const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

/** LOCAL:REMOTE or LOCAL:REMOTE:HOST, as `--port-forward 8080:80` or `--port-forward 5432:5432:db.internal`. */
export function parsePortForward(text: string): PortForward {
  const [local, remote, host, ...rest] = text.split(":");
  if (remote === undefined || rest.length) {
    throw new UsageError(
      `--port-forward takes LOCAL:REMOTE or LOCAL:REMOTE:HOST (e.g. 8080:80, 5432:5432:db.internal), not "${text}".`,
      "connect",
    );
  }
  if (host !== undefined && !HOST.test(host))
    throw new UsageError(`--port-forward's HOST must be a host name or an IPv4 address, not "${host}".`, "connect");
  return {
    localPort: port(local, "--port-forward's LOCAL", "connect"),
    remotePort: port(remote, "--port-forward's REMOTE", "connect"),
    host,
  };
}

/** "15m", "1h", "90s": how long to wait for the instance; seconds are allowed here (not for a TTL). */
export function parseWaitTimeout(text: string, command: string): number {
  const seconds = /^(\d+)s$/.exec(text.trim());
  const ms = seconds ? Number(seconds[1]) * 1000 : parseDuration(text);
  if (!ms) throw new UsageError(`--wait-timeout must be a duration such as 15m, 1h or 90s, not "${text}".`, command);
  return ms;
}

function commandOf(args: string[]): string | undefined {
  const { tokens } = parseArgs({
    args,
    options: { ...GLOBAL, ...Object.assign({}, ...Object.values(COMMANDS).map((c) => c.options)) },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  return tokens.find((token) => token.kind === "positional")?.value;
}

function globalsOf(values: Record<string, unknown>): GlobalFlags {
  const output = values.json ? "json" : (values.output as string | undefined);
  if (output !== undefined && output !== "json" && output !== "table")
    throw new UsageError(`--output must be json or table, not "${output}".`);
  const account = values.account as string | undefined;
  if (account !== undefined && !ACCOUNT_ID.test(account))
    throw new UsageError(`--account must be a 12-digit AWS account id such as 222222222222, not "${account}".`);
  return {
    api: values.api as string | undefined,
    profile: values.profile as string | undefined,
    region: values.region as string | undefined,
    account,
    output,
    user: values.user as string | undefined,
  };
}

function openFlags(values: Record<string, unknown>): OpenFlags {
  return {
    ttl: values.ttl as string | undefined,
    reason: values.reason as string | undefined,
    restartAgent: Boolean(values["restart-agent"]),
  };
}

/**
 * Parses `ssm-knock <command> [arguments] [options]` strictly: an unknown command or option, a
 * missing or extra argument, or a malformed value is a UsageError naming the command.
 *
 * @example
 * parseCommandLine(["connect", "web-1", "--ttl", "1h", "--port-forward", "8080:80"])
 * // { command: { name: "connect", target: "web-1", ttl: "1h", portForward: { localPort: 8080, remotePort: 80 }, ... }, globals: {} }
 */
export function parseCommandLine(args: string[]): { command: Command; globals: GlobalFlags } {
  const name = commandOf(args) ?? (args.some((arg) => arg === "--help" || arg === "-h") ? "help" : undefined);
  if (!name) throw new UsageError("Give a command.");
  const spec = COMMANDS[name];
  if (!spec) throw new UsageError(`Unknown command "${name}"; the commands are ${Object.keys(COMMAND_USAGE).join(", ")}.`);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options: { ...GLOBAL, ...spec.options }, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional.*$/s, "."), name);
  }
  const values = parsed.values as Record<string, unknown>;
  const globals = globalsOf(values);
  if (values.help) return { command: { name: "help", topic: name === "help" ? undefined : name }, globals };
  const rest = parsed.positionals.slice(1);
  const needed = spec.positionals.length - (spec.optional ?? 0);
  if (rest.length < needed || rest.length > spec.positionals.length) {
    const missing = spec.positionals.slice(rest.length).join(", ");
    throw new UsageError(
      rest.length < needed ? `${name} needs ${missing}.` : `${name} takes ${spec.positionals.length} argument(s), not ${rest.length}.`,
      name,
    );
  }
  const [first, second] = rest;
  return { command: buildCommand(name, first, second, values), globals };
}

function buildCommand(name: string, first: string, second: string, values: Record<string, unknown>): Command {
  switch (name) {
    case "connect":
      return {
        name,
        target: first,
        ...openFlags(values),
        portForward: values["port-forward"] ? parsePortForward(values["port-forward"] as string) : undefined,
        keep: Boolean(values.keep),
        waitTimeoutMs: values["wait-timeout"] ? parseWaitTimeout(values["wait-timeout"] as string, name) : DEFAULT_WAIT_TIMEOUT_MS,
      };
    case "proxy":
      return {
        name,
        target: first,
        port: port(second, "The port", name),
        ...openFlags(values),
        waitTimeoutMs: values["wait-timeout"] ? parseWaitTimeout(values["wait-timeout"] as string, name) : DEFAULT_WAIT_TIMEOUT_MS,
      };
    case "open":
      return { name, target: first, ...openFlags(values) };
    case "extend":
      return { name, target: first, ttl: second };
    case "status":
    case "close":
      return { name, target: first };
    case "ls":
      return { name };
    default:
      return { name: "help", topic: first };
  }
}
