import { describe, expect, it } from "vitest";
import { DEFAULT_WAIT_TIMEOUT_MS, parseCommandLine, parsePortForward, parseWaitTimeout } from "../../../lib/cli/args.js";
import { UsageError } from "../../../lib/cli/errors.js";

const usageError = (args: string[]) => {
  try {
    parseCommandLine(args);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error(`parsed: ${args.join(" ")}`);
};

describe("parseCommandLine", () => {
  it("reads connect with every option, options before or after the arguments", () => {
    const { command, globals } = parseCommandLine([
      "--profile",
      "prod",
      "connect",
      "web-1",
      "--ttl",
      "1h",
      "--reason",
      "debug payments",
      "--restart-agent",
      "--port-forward",
      "5432:5432:db.internal",
      "--keep",
      "--wait-timeout",
      "5m",
      "--json",
    ]);
    expect(command).toEqual({
      name: "connect",
      target: "web-1",
      ttl: "1h",
      reason: "debug payments",
      restartAgent: true,
      portForward: { localPort: 5432, remotePort: 5432, host: "db.internal" },
      keep: true,
      waitTimeoutMs: 300_000,
    });
    expect(globals).toEqual({ profile: "prod", output: "json" });
  });

  it("defaults connect to a shell, no kick, 15 minutes of waiting, and closing afterwards", () => {
    expect(parseCommandLine(["connect", "i-0123456789abcdef0"]).command).toEqual({
      name: "connect",
      target: "i-0123456789abcdef0",
      restartAgent: false,
      keep: false,
      waitTimeoutMs: DEFAULT_WAIT_TIMEOUT_MS,
    });
  });

  it("reads proxy's port, extend's ttl and the single-target commands", () => {
    expect(parseCommandLine(["proxy", "i-0123456789abcdef0", "22"]).command).toMatchObject({ name: "proxy", port: 22 });
    expect(parseCommandLine(["extend", "vpc-0a1b2c3d4e5f60718", "3h"]).command).toEqual({
      name: "extend",
      target: "vpc-0a1b2c3d4e5f60718",
      ttl: "3h",
    });
    expect(parseCommandLine(["close", "web-1", "--api", "http://127.0.0.1:3000"])).toEqual({
      command: { name: "close", target: "web-1" },
      globals: { api: "http://127.0.0.1:3000" },
    });
    expect(parseCommandLine(["ls", "--output", "table", "--region", "eu-west-1", "--user", "bob"])).toEqual({
      command: { name: "ls" },
      globals: { output: "table", region: "eu-west-1", user: "bob" },
    });
  });

  it("answers --help, -h and help with the usage of the command asked about", () => {
    expect(parseCommandLine(["--help"]).command).toEqual({ name: "help", topic: undefined });
    expect(parseCommandLine(["connect", "-h"]).command).toEqual({ name: "help", topic: "connect" });
    expect(parseCommandLine(["help", "proxy"]).command).toEqual({ name: "help", topic: "proxy" });
  });

  it("refuses what it cannot run, naming the command whose usage to show", () => {
    expect(usageError([]).message).toMatch(/Give a command/);
    expect(usageError(["conect", "web-1"]).message).toMatch(/Unknown command "conect"; the commands are connect, proxy/);
    expect(usageError(["ls", "--keep"])).toMatchObject({ command: "ls", message: expect.stringMatching(/Unknown option '--keep'/) });
    expect(usageError(["connect"])).toMatchObject({ command: "connect", message: "connect needs target." });
    expect(usageError(["extend", "vpc-0a1b2c3d4e5f60718"]).message).toBe("extend needs ttl.");
    expect(usageError(["close", "a", "b"]).message).toBe("close takes 1 argument(s), not 2.");
    expect(usageError(["proxy", "i-0123456789abcdef0", "ssh"]).message).toMatch(/port from 1 to 65535, not "ssh"/);
    expect(usageError(["ls", "--output", "yaml"]).message).toMatch(/--output must be json or table/);
    expect(usageError(["connect", "web-1", "--ttl"]).message).toMatch(/--ttl/);
  });
});

describe("--account", () => {
  it("is a global option, checked to be 12 digits", () => {
    expect(parseCommandLine(["open", "web-1", "--account", "222222222222"]).globals.account).toBe("222222222222");
    expect(parseCommandLine(["--account", "222222222222", "ls"]).globals.account).toBe("222222222222");
    expect(usageError(["open", "web-1", "--account", "2222"]).message).toMatch(/--account must be a 12-digit AWS account id/);
  });
});

describe("parsePortForward", () => {
  it("reads LOCAL:REMOTE and LOCAL:REMOTE:HOST", () => {
    expect(parsePortForward("8080:80")).toEqual({ localPort: 8080, remotePort: 80, host: undefined });
    expect(parsePortForward("15432:5432:10.0.1.20")).toEqual({ localPort: 15432, remotePort: 5432, host: "10.0.1.20" });
  });

  it.each([
    ["8080", /LOCAL:REMOTE/],
    ["8080:80:db:x", /LOCAL:REMOTE/],
    ["0:80", /LOCAL must be a port/],
    ["8080:70000", /REMOTE must be a port/],
    ["8080:80:bad host", /HOST must be a host name/],
    ["8080:80:", /HOST must be a host name/],
  ])("refuses %s", (text, message) => {
    expect(() => parsePortForward(text)).toThrow(message);
  });
});

describe("parseWaitTimeout", () => {
  it("takes the TTL's units and seconds", () => {
    expect(parseWaitTimeout("15m", "connect")).toBe(900_000);
    expect(parseWaitTimeout("1h30m", "connect")).toBe(5_400_000);
    expect(parseWaitTimeout("90s", "connect")).toBe(90_000);
  });

  it("refuses what is not a duration", () => {
    expect(() => parseWaitTimeout("soon", "connect")).toThrow(/--wait-timeout must be a duration/);
    expect(() => parseWaitTimeout("0s", "connect")).toThrow(UsageError);
  });
});
