import { readFileSync } from "node:fs";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  SchedulerClient,
} from "@aws-sdk/client-scheduler";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { call, type LocalProcess, processAlive, startLocalProcess } from "../support/local-process.js";

let local: LocalProcess;
let cloudFormation: CloudFormationClient;
let scheduler: SchedulerClient;

beforeAll(async () => {
  // INFO: the log file is one of the things checked (the suite runs SILENT).
  local = await startLocalProcess([], { POWERTOOLS_LOG_LEVEL: "INFO" });
  const options = { region: "us-east-1", endpoint: local.emulator, credentials: { accessKeyId: "e2e", secretAccessKey: "e2e" } };
  cloudFormation = new CloudFormationClient(options);
  scheduler = new SchedulerClient(options);
});

afterAll(async () => {
  await local?.stop();
});

// Each test stands alone and in any order: it starts with no session and leaves none behind.
afterEach(async () => {
  for (const session of (await call(local.url, "GET", "/sessions")).body.sessions ?? []) {
    await call(local.url, "DELETE", `/sessions/${session.id}`);
  }
  for (const name of await schedules()) await scheduler.send(new DeleteScheduleCommand({ Name: name, GroupName: "ssm-knock" }));
});

const liveStacks = async () =>
  ((await cloudFormation.send(new DescribeStacksCommand({}))).Stacks ?? [])
    .filter((s) => s.StackStatus !== "DELETE_COMPLETE")
    .map((s) => s.StackName);
const schedules = async () =>
  ((await scheduler.send(new ListSchedulesCommand({ GroupName: "ssm-knock" }))).Schedules ?? []).map((s) => s.Name);

describe("local mode, driven over HTTP like a user", () => {
  it("prints the demo world and ready-to-paste curl commands", () => {
    expect(local.vpcId).toMatch(/^vpc-/);
    expect(local.instanceIds).toHaveLength(2);
    expect(local.output()).toContain(`curl -s -X POST ${local.url}/sessions`);
  });

  it("opens access, shows it ready, and closes it when the clock passes the expiry", async () => {
    const opened = await call(local.url, "POST", "/sessions", { instanceId: local.instanceIds[0], ttl: "2h", reason: "e2e" });
    expect(opened.status).toBe(202);
    expect(opened.body.session.requestedBy).toBe("alice");
    const shown = await call(local.url, "GET", `/sessions/${local.vpcId}`);
    expect(shown.body.session.status).toBe("ready");
    expect(await liveStacks()).toEqual([`ssm-knock-${local.vpcId}`]);

    const advanced = await call(local.url, "POST", "/local/advance", { minutes: 121 });
    expect(advanced.status).toBe(200);
    // The readiness watch followed the session from its start, and stopped once the demo instance
    // was connectable, or at the latest when the session ended. Which of the two depends on the
    // agent's history in this shared process, not on this test: its backoff after an earlier
    // test's session closed, and moto, whose UpdateStack (an extension) drops the security groups
    // of the VPC's endpoints, which cuts the agent off. Connecting is test/e2e/readiness.test.ts's.
    const watch = advanced.body.fired.filter((f: { schedule: string }) => f.schedule.includes("-watch-"));
    expect(watch[0]?.schedule).toBe(`ssm-knock-watch-a-${local.vpcId}`);
    const settled = watch.map((f: { result: string }) => f.result).find((result: string) => result !== "watching");
    expect(["connectable", "ended"]).toContain(settled);
    // …then the expiring warning (15 minutes before), then the expiry itself.
    expect(advanced.body.fired.filter((f: { schedule: string }) => !f.schedule.includes("-watch-"))).toEqual([
      expect.objectContaining({ schedule: `ssm-knock-warn-${local.vpcId}`, result: "notified" }),
      expect.objectContaining({ schedule: `ssm-knock-expire-${local.vpcId}`, result: expect.objectContaining({ outcome: "deleted" }) }),
    ]);
    expect(await liveStacks()).toEqual([]);
    expect(await schedules()).toEqual([]);
    expect((await call(local.url, "GET", `/sessions/${local.vpcId}`)).status).toBe(404);
    expect(local.output()).toMatch(/session opened: vpc-.* by alice/);
    expect(local.output()).toMatch(/schedule fired: ssm-knock-expire-vpc-/);
    expect(local.output()).toMatch(/stack deleted: ssm-knock-vpc-/);
  });

  it("keeps an extended session when a stale schedule fires, and deletes it at the new expiry", async () => {
    await call(local.url, "POST", "/sessions", { instanceId: local.instanceIds[0], ttl: "1h" });
    const original = await scheduler.send(new GetScheduleCommand({ Name: `ssm-knock-expire-${local.vpcId}`, GroupName: "ssm-knock" }));
    // A copy of the original timer stands for one that failed to move when the session was extended.
    await scheduler.send(
      new CreateScheduleCommand({
        Name: `stale-copy-${local.vpcId}`,
        GroupName: "ssm-knock",
        ScheduleExpression: original.ScheduleExpression,
        ScheduleExpressionTimezone: "UTC",
        FlexibleTimeWindow: { Mode: "OFF" },
        ActionAfterCompletion: "DELETE",
        Target: original.Target,
      }),
    );
    const extended = await call(local.url, "POST", `/sessions/${local.vpcId}/extend`, { ttl: "3h" }, "bob");
    expect(extended.status).toBe(200);

    const stale = await call(local.url, "POST", "/local/advance", { minutes: 61 });
    expect(stale.body.fired.filter((f: { schedule: string }) => !f.schedule.includes("-watch-"))).toEqual([
      expect.objectContaining({ schedule: `stale-copy-${local.vpcId}`, result: expect.objectContaining({ outcome: "not_expired" }) }),
    ]);
    expect(await liveStacks()).toEqual([`ssm-knock-${local.vpcId}`]);

    const due = await call(local.url, "POST", "/local/advance", { minutes: 120 });
    expect(due.body.fired.map((f: { schedule: string }) => f.schedule).filter((s: string) => !s.includes("-watch-"))).toEqual([
      `ssm-knock-warn-${local.vpcId}`,
      `ssm-knock-expire-${local.vpcId}`,
    ]);
    expect(due.body.fired.find((f: { schedule: string }) => f.schedule.startsWith("ssm-knock-expire-")).result.outcome).toBe("deleted");
    expect(await liveStacks()).toEqual([]);
  });

  it("closes a session on DELETE and removes its schedule", async () => {
    await call(local.url, "POST", "/sessions", { vpcId: local.vpcId, ttl: "30m" });
    const closed = await call(local.url, "DELETE", `/sessions/${local.vpcId}`);
    expect(closed).toMatchObject({ status: 202, body: { session: { status: "closing" } } });
    expect(await liveStacks()).toEqual([]);
    expect(await schedules()).toEqual([]);
  });

  it("refuses a bad advance and unknown routes with JSON errors", async () => {
    expect((await call(local.url, "POST", "/local/advance", { minutes: -5 })).status).toBe(400);
    expect((await call(local.url, "GET", "/nope")).status).toBe(404);
  });

  it("shows readable event lines in the terminal and writes the JSON logs, each naming its function, to the log file", async () => {
    // Its own events: an open, an extension, an expiry (the expire function, and sweeps on the
    // way), then an open closed by hand.
    await call(local.url, "POST", "/sessions", { instanceId: local.instanceIds[0], ttl: "1h" });
    expect((await call(local.url, "POST", `/sessions/${local.vpcId}/extend`, { ttl: "2h" })).status).toBe(200);
    expect((await call(local.url, "POST", "/local/advance", { minutes: 121 })).status).toBe(200);
    await call(local.url, "POST", "/sessions", { vpcId: local.vpcId, ttl: "1h" });
    expect((await call(local.url, "DELETE", `/sessions/${local.vpcId}`)).status).toBe(202);

    const expected: [string, string][] = [
      ["open", "session opened"],
      ["extend", "session extended"],
      ["close", "session closed"],
      ["sweep", "sweep finished"],
      ["expire", "expire: stack deletion started"],
    ];
    const logs = () =>
      readFileSync(local.logFile, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { function_name?: string; message: string });
    const said = ([name, message]: [string, string]) => logs().some((log) => log.function_name === name && log.message.startsWith(message));
    // The file is written as the functions log: wait for the lines, never longer than 10 s.
    const deadline = Date.now() + 10_000;
    while (!expected.every(said) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(expected.filter((line) => !said(line))).toEqual([]);
    // Every line names a function of serverless.yml, none a route.
    expect(logs().filter((log) => !log.function_name || log.function_name.startsWith("/"))).toEqual([]);
    expect(local.output()).not.toMatch(/^\{"/m);
    expect(local.output()).toContain(`JSON logs: ${local.logFile}`);
  });

  it("stops cleanly on SIGTERM and stops the emulator it started", async () => {
    // A process of its own: the others keep theirs.
    const own = await startLocalProcess();
    expect(processAlive(own.emulatorPid)).toBe(true);
    expect(await own.stop()).toBe(0);
    expect(processAlive(own.emulatorPid)).toBe(false);
  });
});
