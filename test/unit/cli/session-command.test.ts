import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CliError } from "../../../lib/cli/errors.js";
import { checkSessionTools, startSessionArgs } from "../../../lib/cli/session-command.js";

const target = { instanceId: "i-0123456789abcdef0", region: "eu-west-1" };

describe("startSessionArgs", () => {
  it("opens a shell with the default document", () => {
    expect(startSessionArgs({ ...target, profile: "prod" }, { kind: "shell" })).toEqual([
      "ssm",
      "start-session",
      "--target",
      "i-0123456789abcdef0",
      "--region",
      "eu-west-1",
      "--profile",
      "prod",
    ]);
  });

  it("forwards a port of the instance, or of a host it reaches", () => {
    expect(startSessionArgs(target, { kind: "port-forward", forward: { localPort: 8080, remotePort: 80 } }).slice(6)).toEqual([
      "--document-name",
      "AWS-StartPortForwardingSession",
      "--parameters",
      '{"portNumber":["80"],"localPortNumber":["8080"]}',
    ]);
    expect(
      startSessionArgs(target, { kind: "port-forward", forward: { localPort: 15432, remotePort: 5432, host: "db.internal" } }).slice(6),
    ).toEqual([
      "--document-name",
      "AWS-StartPortForwardingSessionToRemoteHost",
      "--parameters",
      '{"portNumber":["5432"],"localPortNumber":["15432"],"host":["db.internal"]}',
    ]);
  });

  it("runs AWS-StartSSHSession for ssh's ProxyCommand", () => {
    expect(startSessionArgs(target, { kind: "ssh", port: 22 }).slice(6)).toEqual([
      "--document-name",
      "AWS-StartSSHSession",
      "--parameters",
      '{"portNumber":["22"]}',
    ]);
  });
});

describe("checkSessionTools", () => {
  const dirWith = (...programs: string[]) => {
    const dir = mkdtempSync(join(tmpdir(), "ssm-knock-path-"));
    for (const program of programs) {
      writeFileSync(join(dir, program), "#!/bin/sh\nexit 0\n");
      chmodSync(join(dir, program), 0o755);
    }
    return dir;
  };

  it("passes when aws and session-manager-plugin are on PATH", async () => {
    await expect(checkSessionTools(dirWith("aws", "session-manager-plugin"))).resolves.toBeUndefined();
  });

  it("names each missing program with where to get it", async () => {
    const check = checkSessionTools(dirWith("aws"));
    await expect(check).rejects.toThrow(CliError);
    await expect(check).rejects.toThrow(
      /session-manager-plugin is not on PATH\. Install the Session Manager plugin: https:\/\/docs\.aws\.amazon\.com/,
    );
    await expect(checkSessionTools(dirWith())).rejects.toThrow(
      /aws is not on PATH\. Install the AWS CLI v2[\s\S]*session-manager-plugin is not on PATH/,
    );
  });
});
