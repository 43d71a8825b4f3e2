import { fileURLToPath } from "node:url";
import { CreateTagsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { cleanEnv, cli, runCli, standIns } from "../support/cli-process.js";
import { type LocalProcess, startLocalProcess } from "../support/local-process.js";

// The bundled CLI against local mode, both as separate processes, the way a person runs them in
// two terminals: open (by Name tag, through the emulator local mode prints), ls, status, extend,
// close, the API's JSON with --json, and errors that exit non-zero with the API's message.
// `connect` waits on local mode's readiness (the SSM Agent model), hands over to an `aws`
// stand-in, and closes what it opened.

let local: LocalProcess;
let env: NodeJS.ProcessEnv;
let recorded: ReturnType<typeof standIns>;

beforeAll(async () => {
  local = await startLocalProcess();
  // No credentials at all: local mode is told who calls in x-ssm-knock-user.
  recorded = standIns();
  env = cleanEnv(recorded, { SSM_KNOCK_API: local.url, AWS_ENDPOINT_URL: local.emulator, SSM_KNOCK_POLL_MS: "500" });
});

afterAll(async () => {
  await local?.stop();
});

const as = (user: string, ...args: string[]) => cli([...args, "--user", user], env);

describe("ssm-knock against local mode", () => {
  it("prints how to point the CLI at it", () => {
    expect(local.output()).toContain(`SSM_KNOCK_API=${local.url} AWS_ENDPOINT_URL=${local.emulator}`);
  });

  it("opens by Name tag, lists, shows, extends, joins and closes a session", async () => {
    const [first, second] = local.instanceIds;
    const opened = await as("alice", "open", "demo-1", "--ttl", "1h", "--reason", "cli e2e");
    expect(opened.code, opened.stderr).toBe(0);
    expect(opened.stdout).toMatch(
      new RegExp(`^opened ${local.vpcId} \\(us-east-1\\): (creating|ready), expires \\S+ \\S+Z \\(in 1h( 1m)?\\)`),
    );
    expect(opened.stdout).toContain(`connect: aws ssm start-session --target ${first} --region us-east-1`);

    const listed = await as("alice", "ls");
    expect(listed.code).toBe(0);
    expect(listed.stdout.split("\n")[1]).toMatch(
      new RegExp(
        `^${local.vpcId}\\s+123456789012\\s+us-east-1\\s+ready\\s+\\?\\s+.*\\(in 1h( 1m)?\\)\\s+\\$\\d+\\.\\d\\d\\s+${first}\\s+alice$`,
      ),
    );

    const json = JSON.parse((await as("alice", "ls", "--json")).stdout);
    expect(json.sessions.map((s: { id: string }) => s.id)).toEqual([local.vpcId]);

    const status = await as("alice", "status", "demo-1");
    expect(status.stdout).toMatch(new RegExp(`^Session\\s+${local.vpcId} \\(us-east-1\\)`));
    expect(status.stdout).toContain('Requested by  alice: "cli e2e"');
    expect(status.stdout).toMatch(/Endpoints\s+ssm available, ssmmessages available, ec2messages available/);

    const extended = await as("alice", "extend", first, "3h");
    expect(extended.stdout).toMatch(new RegExp(`^extended ${local.vpcId}: expires .*\\(in 3h( 1m)?\\)`));

    const joined = await as("bob", "open", second);
    expect(joined.stdout).toMatch(new RegExp(`^joined ${local.vpcId}`));
    expect(joined.stdout).toContain("requesters: alice, bob");

    const closed = await as("bob", "close", local.vpcId);
    // Two instances with agents SSM never saw: ssm, ssmmessages and ec2messages, 1 AZ, one started hour (issue 16's bill).
    expect(closed).toMatchObject({
      code: 0,
      stdout: `closing ${local.vpcId}: its endpoints are being deleted; USD 0.03 for 3 endpoint-hours\n`,
    });
    expect((await as("alice", "ls")).stdout).toBe("No sessions.\n");
    expect(local.output()).toMatch(/session closed: vpc-\S+ \(closed by bob\)/);
  });

  it("exits non-zero with the API's message, code and field", async () => {
    const tooLong = await as("alice", "open", local.instanceIds[0], "--ttl", "99h");
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toMatch(/^ssm-knock: .*ttl.* \(ttl_out_of_bounds, field ttl\)\n/);
    const none = await as("alice", "status", local.vpcId);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/\(not_found/);
    expect((await as("alice", "ls")).stdout).toBe("No sessions.\n");
  });

  it("lists the candidates of an ambiguous Name tag and opens nothing", async () => {
    const ec2 = new EC2Client({
      region: "us-east-1",
      endpoint: local.emulator,
      credentials: { accessKeyId: "e2e", secretAccessKey: "e2e" },
    });
    await ec2.send(new CreateTagsCommand({ Resources: local.instanceIds, Tags: [{ Key: "Name", Value: "twin" }] }));
    // The other tests name the demo instances demo-1 and demo-2: give the names back, in any order.
    onTestFinished(async () => {
      for (const [index, id] of local.instanceIds.entries()) {
        await ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: "Name", Value: `demo-${index + 1}` }] }));
      }
    });
    const run = await as("alice", "open", "twin");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('The Name tag "twin" matches 2 instances in us-east-1; give one by its id:');
    for (const id of local.instanceIds) expect(run.stderr).toContain(id);
    expect((await as("alice", "ls")).stdout).toBe("No sessions.\n");
    const unknown = await as("alice", "open", "nobody-has-this-name");
    expect(unknown).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('No running or stopped instance has the Name tag "nobody-has-this-name"'),
    });
  });

  it("connects once the instance is connectable, hands over to aws, and closes what it opened", async () => {
    const run = runCli(["connect", local.instanceIds[1], "--ttl", "3h", "--user", "carol"], env);
    // The agent model registers the demo instance at its first try after the endpoints exist:
    // move local mode's clock past it rather than wait in real time. Whichever tests ran before,
    // a session of theirs that closed cut this agent off, and its backoff puts the next try up
    // to an hour away (README: Readiness): advance up to 150 minutes, within the 3h TTL.
    for (let i = 0; i < 30 && !recorded.calls().some((c) => c.program === "aws"); i++) {
      await fetch(`${local.url}/local/advance`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"minutes":5}' });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const result = await run.done;
    expect(result.code, result.stderr).toBe(0);
    const aws = recorded.calls().filter((c) => c.program === "aws");
    expect(aws.map((c) => c.argv)).toEqual([["ssm", "start-session", "--target", local.instanceIds[1], "--region", "us-east-1"]]);
    expect(result.stderr).toMatch(/connectable/i);
    // It created the access and nobody joined: closed when the session command exited.
    expect((await as("carol", "ls")).stdout).toBe("No sessions.\n");
    expect(local.output()).toMatch(/session closed: vpc-\S+ \(closed by carol\)/);
  });

  it("connects with local mode's own stand-ins for aws and the plugin (README), which say Session Manager is not emulated", async () => {
    const localBin = fileURLToPath(new URL("../../local/bin", import.meta.url));
    const nodeOnly = standIns({ aws: false, plugin: false });
    const run = runCli(["connect", local.instanceIds[0], "--ttl", "3h", "--user", "dave"], {
      ...env,
      PATH: `${localBin}:${nodeOnly.path}`,
    });
    let finished = false;
    run.done.then(() => {
      finished = true;
    });
    // As above: the agent may be in its backoff after an earlier test's session closed.
    for (let i = 0; i < 30 && !finished; i++) {
      await fetch(`${local.url}/local/advance`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"minutes":5}' });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const result = await run.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`[local stand-in for aws] aws ssm start-session --target ${local.instanceIds[0]} --region us-east-1`);
    expect(result.stderr).toContain("Local mode emulates no Session Manager");
    expect((await as("dave", "ls")).stdout).toBe("No sessions.\n");
  });
});
