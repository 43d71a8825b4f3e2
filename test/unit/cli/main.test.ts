import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../../lib/cli/main.js";
import { cleanEnv, standIns } from "../../support/cli-process.js";
import type { FakeOptions } from "../../support/fake-api.js";
import { cliWorld, expectClosedOnInterrupt, fakeApiPerTest, INSTANCE, ME, untilLogged, VPC } from "../../support/fake-api-world.js";
import { TEST_CREDENTIALS } from "../../support/sigv4.js";

// The CLI's main() in this process (the end-to-end suite runs the bundle as its own process, whose
// lines no coverage sees), against the same fake API on 127.0.0.1, with `aws` stand-ins on a PATH
// of their own: every command's output, the waits and their ends, and how failures are told.

const startFake = fakeApiPerTest();

beforeEach(() => {
  // The SDK's credential chain reads this process's environment.
  vi.stubEnv("AWS_ACCESS_KEY_ID", TEST_CREDENTIALS.accessKeyId);
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", TEST_CREDENTIALS.secretAccessKey);
  vi.stubEnv("AWS_SESSION_TOKEN", TEST_CREDENTIALS.sessionToken);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function world(options: Partial<FakeOptions> = {}, include?: { aws?: boolean; plugin?: boolean }) {
  return cliWorld(await startFake(options), include, { SSM_KNOCK_POLL_MS: "10" });
}

/** Runs main() with captured streams. */
async function run(args: string[], env: NodeJS.ProcessEnv) {
  let stdout = "";
  let stderr = "";
  const io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env,
  };
  const code = await main(args, io as never);
  return { code, stdout, stderr };
}

describe("the CLI's commands, in process", () => {
  it("opens, lists, shows, extends and closes, as tables and as JSON", async () => {
    const { fake, env } = await world();
    const opened = await run(["open", INSTANCE, "--ttl", "2h", "--reason", "unit"], env);
    expect(opened.code, opened.stderr).toBe(0);
    expect(opened.stdout).toMatch(new RegExp(`^opened ${VPC} \\(eu-west-1\\): creating, expires `));
    expect(opened.stdout).toContain(`connect: aws ssm start-session --target ${INSTANCE} --region eu-west-1`);
    expect(fake.log[0]).toBe(`POST /sessions 202 ${VPC} by ${ME}`);

    const listed = await run(["ls"], env);
    expect(listed.stdout.split("\n")[0]).toMatch(
      /^SESSION\s+ACCOUNT\s+REGION\s+STATUS\s+CONNECTABLE\s+EXPIRES \(UTC\)\s+COST\s+INSTANCES\s+REQUESTERS$/,
    );
    expect(listed.stdout).toContain(VPC);
    expect(JSON.parse((await run(["ls", "--json"], env)).stdout).sessions[0].id).toBe(VPC);

    const status = await run(["status", VPC], env);
    expect(status.stdout).toMatch(new RegExp(`^Session\\s+${VPC} \\(eu-west-1\\)`));
    expect(JSON.parse((await run(["status", VPC, "--output", "json"], env)).stdout).session.id).toBe(VPC);

    expect((await run(["extend", VPC, "3h"], env)).stdout).toMatch(new RegExp(`^extended ${VPC}: expires `));
    expect(fake.log).toContain(`extend ${VPC} 3h`);
    const joined = await run(["open", INSTANCE], { ...env, AWS_REGION: "eu-west-1" });
    expect(joined.stdout).toMatch(new RegExp(`^joined ${VPC}`));
    expect((await run(["close", VPC], env)).stdout).toBe(`closing ${VPC}: its endpoints are being deleted\n`);
    expect(fake.log.at(-1)).toBe(`DELETE ${VPC} by ${ME}`);
  });

  it("prints help, and the usage with exit 2 for a malformed command line", async () => {
    const { env } = await world();
    const help = await run(["help", "connect"], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: ssm-knock connect <instance-id|Name tag>");
    const bare = await run([], env);
    expect(bare.stdout + bare.stderr).toContain("Usage: ssm-knock");
    const bad = await run(["extend", VPC], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Usage: ssm-knock extend");
    expect((await run(["nope"], env)).code).toBe(2);
  });

  it("tells an API error with its code, field and fix, and exits 1", async () => {
    const { env } = await world();
    const none = await run(["status", "vpc-0000000000000dead"], env);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^ssm-knock: .* \(not_found/);
    const refused = await run(["connect", INSTANCE, "--restart-agent"], env);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining("(forbidden, field restartAgent)") });
  });

  it("refuses to sign for a deployed API without credentials, saying how to get some", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "");
    vi.stubEnv("AWS_SESSION_TOKEN", "");
    const { env } = await world();
    const result = await run(["ls", "--api", "https://abc123.execute-api.eu-west-1.amazonaws.com"], {
      ...env,
      AWS_CONFIG_FILE: "/nonexistent",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("No AWS credentials to sign the request");
  });
});

describe("connect and proxy, in process", () => {
  it("waits until connectable, runs the session command, and closes what it opened", async () => {
    const { fake, tools, env } = await world();
    const result = await run(["connect", INSTANCE, "--ttl", "1h"], env);
    expect(result.code, result.stderr).toBe(0);
    expect(tools.calls().map((c) => c.argv)).toEqual([["ssm", "start-session", "--target", INSTANCE, "--region", "eu-west-1"]]);
    for (const stage of ["stack creating", "endpoints available", "agent online", `connectable: ${INSTANCE}`]) {
      expect(result.stderr).toMatch(new RegExp(`\\[\\d+:\\d\\d\\] ${stage}`));
    }
    expect(result.stderr).toContain(`closed ${VPC} (this command opened it and nobody joined)`);
    expect(fake.log.at(-1)).toBe(`DELETE ${VPC} by ${ME}`);
  });

  it("passes on the session command's exit status, forwards ports, and keeps the session with --keep", async () => {
    const { fake, tools, env } = await world();
    expect((await run(["connect", INSTANCE, "--port-forward", "8080:80", "--keep"], { ...env, STANDIN_EXIT: "3" })).code).toBe(3);
    expect(tools.calls()[0].argv.slice(6)).toEqual([
      "--document-name",
      "AWS-StartPortForwardingSession",
      "--parameters",
      '{"portNumber":["80"],"localPortNumber":["8080"]}',
    ]);
    expect(fake.log.some((line) => line.startsWith("DELETE"))).toBe(false);
    expect((await run(["proxy", INSTANCE, "22"], env)).code).toBe(0);
    expect(tools.calls()[1].argv.slice(6)).toEqual(["--document-name", "AWS-StartSSHSession", "--parameters", '{"portNumber":["22"]}']);
  });

  it("leaves a session someone joined meanwhile, and never closes one it only joined", async () => {
    const { fake, env } = await world();
    fake.onStandIn = () => fake.join(VPC, "arn:aws:iam::123456789012:user/bob");
    const result = await run(["connect", INSTANCE], env);
    expect(result.stderr).toContain(`left ${VPC} open: arn:aws:iam::123456789012:user/bob joined it`);
    fake.onStandIn = undefined;
    expect((await run(["connect", INSTANCE], env)).code).toBe(0);
    expect(fake.log.some((line) => line.startsWith("DELETE"))).toBe(false);
  });

  it("gives up at --wait-timeout with the failing checks, closes, and runs nothing", async () => {
    const { fake, tools, env } = await world({ steps: ["creating", "offline"] });
    const result = await run(["connect", INSTANCE, "--wait-timeout", "1s"], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("fix: Attach an instance profile whose role carries AmazonSSMManagedInstanceCore.");
    expect(tools.calls()).toEqual([]);
    expect(fake.log.at(-1)).toBe(`DELETE ${VPC} by ${ME}`);
  });

  it("says that an API which does not report readiness is never taken for connectable", async () => {
    const { fake, tools, env } = await world({ readiness: false });
    const result = await run(["connect", INSTANCE, "--wait-timeout", "1s"], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/does not report readiness/);
    expect(tools.calls()).toEqual([]);
    expect(fake.log.at(-1)).toBe(`DELETE ${VPC} by ${ME}`);
  });

  it("closes what it opened when interrupted while waiting", async () => {
    const { fake, tools, env } = await world({ steps: ["creating"] });
    const pending = run(["connect", INSTANCE], env);
    await untilLogged(fake, `GET ${VPC} creating`);
    process.emit("SIGINT");
    expectClosedOnInterrupt(await pending, fake, tools);
  });

  it("reports a missing aws or plugin before anything is opened", async () => {
    const { fake, env } = await world({}, { aws: false });
    expect((await run(["connect", INSTANCE], env)).stderr).toContain("aws is not on PATH");
    const noPlugin = await run(["proxy", INSTANCE, "22"], cleanEnv(standIns({ plugin: false }), { SSM_KNOCK_API: fake.url }));
    expect(noPlugin.stderr).toContain("session-manager-plugin is not on PATH");
    expect(fake.log).toEqual([]);
  });
});
