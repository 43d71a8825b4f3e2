import { describe, expect, it } from "vitest";
import { cli, runCli } from "../support/cli-process.js";
import type { FakeOptions } from "../support/fake-api.js";
import { cliWorld, expectClosedOnInterrupt, fakeApiPerTest, INSTANCE, ME, untilLogged, VPC } from "../support/fake-api-world.js";
import { TEST_CREDENTIALS } from "../support/sigv4.js";

// `ssm-knock connect` and `proxy`, the bundled CLI run as its own process against a real HTTP
// server that plays the API (sessions go creating -> ready -> agent online -> connectable, one
// step per GET, and every request must be signed or carry local mode's user), with stand-ins
// for `aws` and `session-manager-plugin` on a PATH of their own.
// Cases: connect waits for connectable, then runs the session command with the right target,
// region, document and parameters, and closes afterwards; the session command's status is the
// CLI's; a joined session stays open; --keep keeps it; --port-forward; proxy (stdio passed
// through, access left to its TTL); a timeout prints the failing checks and closes; Ctrl-C
// while waiting closes; a missing aws is reported before anything is opened; API and usage errors.

const startFake = fakeApiPerTest();

async function world(options: Partial<FakeOptions> = {}, include?: { aws?: boolean; plugin?: boolean }) {
  return cliWorld(await startFake(options), include, {
    SSM_KNOCK_POLL_MS: "20",
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: TEST_CREDENTIALS.sessionToken,
  });
}

const shell = `aws ssm start-session --target ${INSTANCE} --region eu-west-1`;

describe("ssm-knock connect", () => {
  it("opens, waits until connectable, hands over to aws ssm start-session, then closes what it opened", async () => {
    const { fake, tools, env } = await world();
    const run = await cli(["connect", INSTANCE, "--ttl", "1h", "--reason", "e2e"], env);
    expect(run.code, run.stderr).toBe(0);
    // Signed with the environment's credentials (the fake checks every signature).
    expect(fake.log).toEqual([
      `POST /sessions 202 ${VPC} by ${ME}`,
      `GET ${VPC} creating`,
      `GET ${VPC} offline`,
      `GET ${VPC} online`,
      `GET ${VPC} connectable`,
      shell,
      `GET ${VPC} connectable`,
      `DELETE ${VPC} by ${ME}`,
    ]);
    expect(tools.calls()).toEqual([
      { program: "aws", argv: ["ssm", "start-session", "--target", INSTANCE, "--region", "eu-west-1"], env: expect.any(Object) },
    ]);
    for (const stage of ["stack creating", "endpoints available", "agent online", `connectable: ${INSTANCE}`]) {
      expect(run.stderr).toMatch(new RegExp(`\\[\\d+:\\d\\d\\] ${stage}`));
    }
    expect(run.stderr).toContain("warning: none of the instance's security groups allows outbound TCP 443");
    expect(run.stderr).toContain(`closed ${VPC} (this command opened it and nobody joined)`);
    expect(run.stdout).toBe("");
  });

  it("exits with the session command's status, and still closes", async () => {
    const { fake, env } = await world();
    const run = await cli(["connect", INSTANCE], { ...env, STANDIN_EXIT: "3" });
    expect(run.code).toBe(3);
    expect(fake.log.at(-1)).toBe(`DELETE ${VPC} by ${ME}`);
  });

  it("leaves the session open when someone joined while the session ran", async () => {
    const { fake, env } = await world();
    fake.onStandIn = () => fake.join(VPC, "arn:aws:iam::123456789012:user/bob");
    const run = await cli(["connect", INSTANCE], env);
    expect(run.code, run.stderr).toBe(0);
    expect(fake.log.some((line) => line.startsWith("DELETE"))).toBe(false);
    expect(run.stderr).toContain(`left ${VPC} open: arn:aws:iam::123456789012:user/bob joined it`);
  });

  it("never closes a session it only joined", async () => {
    const { fake, env } = await world();
    await cli(["open", INSTANCE, "--user", "bob"], { ...env, AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_SESSION_TOKEN: "" });
    const run = await cli(["connect", INSTANCE], env);
    expect(run.code, run.stderr).toBe(0);
    expect(fake.log[0]).toBe(`POST /sessions 202 ${VPC} by bob`);
    expect(fake.log).toContain(`POST /sessions 200 ${VPC} by ${ME}`);
    expect(fake.log.some((line) => line.startsWith("DELETE"))).toBe(false);
  });

  it("keeps the session with --keep", async () => {
    const { fake, tools, env } = await world();
    const run = await cli(["connect", INSTANCE, "--keep"], env);
    expect(run.code, run.stderr).toBe(0);
    expect(tools.calls()).toHaveLength(1);
    expect(fake.log.some((line) => line.startsWith("DELETE"))).toBe(false);
  });

  it("forwards a port of the instance, or of a host behind it", async () => {
    const { tools, env } = await world();
    expect((await cli(["connect", INSTANCE, "--port-forward", "8080:80"], env)).code).toBe(0);
    expect((await cli(["connect", INSTANCE, "--port-forward", "15432:5432:db.internal", "--profile", "dev"], env)).code).toBe(0);
    const [local, remote] = tools.calls().map((call) => call.argv);
    expect(local.slice(6)).toEqual([
      "--document-name",
      "AWS-StartPortForwardingSession",
      "--parameters",
      '{"portNumber":["80"],"localPortNumber":["8080"]}',
    ]);
    expect(remote.slice(4)).toEqual([
      "--region",
      "eu-west-1",
      "--profile",
      "dev",
      "--document-name",
      "AWS-StartPortForwardingSessionToRemoteHost",
      "--parameters",
      '{"portNumber":["5432"],"localPortNumber":["15432"],"host":["db.internal"]}',
    ]);
  });

  it("asks for the agent kick only when told, and reports the deployment's refusal with nothing opened", async () => {
    const { fake, tools, env } = await world({ allowReboot: false });
    const run = await cli(["connect", INSTANCE, "--restart-agent"], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "ssm-knock: This deployment does not allow restartAgent (ALLOW_REBOOT is not true). (forbidden, field restartAgent)",
    );
    expect(tools.calls()).toEqual([]);
    expect(fake.sessions.size).toBe(0);
  });

  it("gives up at --wait-timeout with the failing checks and their fixes, closes, and runs nothing", async () => {
    const { fake, tools, env } = await world({ steps: ["creating", "offline"] });
    const run = await cli(["connect", INSTANCE, "--wait-timeout", "1s"], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`${INSTANCE} is not connectable after 1s \\(endpoints available: agent ConnectionLost\\)`));
    expect(run.stderr).toContain("✗ instance-profile: The instance has no instance profile, so its SSM Agent cannot authenticate.");
    expect(run.stderr).toContain("fix: Attach an instance profile whose role carries AmazonSSMManagedInstanceCore.");
    expect(tools.calls()).toEqual([]);
    expect(fake.log.at(-1)).toBe(`DELETE ${VPC} by ${ME}`);
  });

  it("closes what it opened when interrupted with Ctrl-C while waiting", async () => {
    const { fake, tools, env } = await world({ steps: ["creating"] });
    const { child, done } = runCli(["connect", INSTANCE], env);
    await untilLogged(fake, `GET ${VPC} creating`);
    child.kill("SIGINT");
    expectClosedOnInterrupt(await done, fake, tools);
  });

  it("reports a missing aws CLI or plugin, with how to install it, before anything is opened", async () => {
    const { fake, env } = await world({}, { aws: false });
    const run = await cli(["connect", INSTANCE], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("ssm-knock: aws is not on PATH. Install the AWS CLI v2: https://docs.aws.amazon.com/cli/");
    expect(run.stderr).toContain("Nothing was opened.");
    expect(fake.log).toEqual([]);
    const noPlugin = await world({}, { plugin: false });
    const second = await cli(["connect", INSTANCE], noPlugin.env);
    expect(second.stderr).toContain("session-manager-plugin is not on PATH");
    expect(noPlugin.fake.log).toEqual([]);
  });

  it("refuses a malformed command line with exit status 2 and the usage", async () => {
    const { fake, env } = await world();
    const run = await cli(["connect", INSTANCE, "--port-forward", "80"], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--port-forward takes LOCAL:REMOTE or LOCAL:REMOTE:HOST");
    expect(run.stderr).toContain("Usage: ssm-knock connect <instance-id|Name tag>");
    expect(fake.log).toEqual([]);
  });
});

describe("ssm-knock proxy", () => {
  it("waits, then runs AWS-StartSSHSession with stdio passed through, and leaves the access to its TTL", async () => {
    const { fake, tools, env } = await world();
    const run = await cli(["proxy", INSTANCE, "22"], { ...env, STANDIN_ECHO: "1" }, "SSH-2.0-OpenSSH_9.6\r\n");
    expect(run.code, run.stderr).toBe(0);
    // stdout is ssh's channel: the tunnel's bytes and nothing else.
    expect(run.stdout).toBe("SSH-2.0-OpenSSH_9.6\r\n");
    expect(tools.calls().map((call) => call.argv)).toEqual([
      [
        "ssm",
        "start-session",
        "--target",
        INSTANCE,
        "--region",
        "eu-west-1",
        "--document-name",
        "AWS-StartSSHSession",
        "--parameters",
        '{"portNumber":["22"]}',
      ],
    ]);
    expect(fake.log.filter((line) => line.startsWith("GET")).at(-1)).toBe(`GET ${VPC} connectable`);
    expect(fake.log.some((line) => line.startsWith("DELETE"))).toBe(false);
  });
});
