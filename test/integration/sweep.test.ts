import { EC2Client } from "@aws-sdk/client-ec2";
import { DeleteScheduleCommand } from "@aws-sdk/client-scheduler";
import { beforeEach, describe, expect, it } from "vitest";
import { type DemoWorld, seedWorld } from "../../local/seed.js";
import { api } from "../support/api.js";
import { testDeps } from "../support/harness.js";
import { inspector } from "../support/inspect.js";
import { armOrphanTimer } from "../support/orphan-timer.js";

const look = inspector();
const HOUR = 3_600_000;
let world: DemoWorld;

beforeEach(async () => {
  world = await seedWorld(new EC2Client({ region: "us-east-1" }), { region: "us-east-1" });
});

const loseSchedule = () =>
  look.scheduler.send(new DeleteScheduleCommand({ Name: `ssm-knock-expire-${world.vpcId}`, GroupName: "ssm-knock" }));

describe("the sweeper against the emulator", () => {
  it("deletes an expired stack whose schedule was lost", async () => {
    const deps = testDeps();
    const client = api(deps);
    await client.open({ instanceId: world.instanceIds[0], ttl: "1h" });
    await loseSchedule();
    deps.clock.advance(HOUR + 60_000);
    expect(await client.sweep()).toMatchObject({ stacksSeen: 1, expiredDeleted: 1, errors: 0 });
    expect(await look.liveStacks()).toEqual([]);
  });

  it("recreates the schedule of a live, unexpired stack that has none", async () => {
    const deps = testDeps();
    const client = api(deps);
    await client.open({ instanceId: world.instanceIds[0], ttl: "3h" });
    await loseSchedule();
    expect(await client.sweep()).toMatchObject({ schedulesRecreated: 1, expiredDeleted: 0 });
    const schedule = await look.schedule(`ssm-knock-expire-${world.vpcId}`);
    expect(schedule.ScheduleExpression).toBe("at(2026-11-30T13:00:00)");
    expect(JSON.parse(schedule.Target?.Input ?? "")).toMatchObject({ action: "expire", sessionId: world.vpcId });
    // a second run finds nothing to do
    expect(await client.sweep()).toMatchObject({ schedulesRecreated: 0, expiredDeleted: 0, schedulesRemoved: 0 });
  });

  it("removes a schedule whose stack is gone, and leaves other schedules alone", async () => {
    const deps = testDeps();
    await armOrphanTimer(deps.config, new Date("2026-11-30T12:00:00Z"));
    await armOrphanTimer(deps.config, new Date("2026-11-30T11:45:00Z"), "warn");
    const client = api(deps);
    await client.open({ instanceId: world.instanceIds[0] });
    expect(await client.sweep()).toMatchObject({ schedulesRemoved: 2, stacksSeen: 1 });
    expect(await look.scheduleNames()).toEqual([`ssm-knock-expire-${world.vpcId}`]);
  });

  it("leaves unexpired sessions and other stacks alone", async () => {
    const deps = testDeps();
    const client = api(deps);
    await client.open({ instanceId: world.instanceIds[0], ttl: "2h" });
    const opened = await look.liveStacks();
    deps.clock.advance(HOUR);
    // What the world holds: the stacks opened, in the one (hub) account, none expired, failed or
    // untimed; so the summary counts them and does nothing.
    const nothingDone = { expiredDeleted: 0, failedDeleted: 0, deleteRetried: 0, schedulesRemoved: 0, schedulesRecreated: 0, errors: 0 };
    expect(await client.sweep()).toEqual({ stacksSeen: opened.length, accountsSwept: 1, accountsFailed: 0, ...nothingDone });
    expect((await look.liveStacks()).length).toBe(1);
  });
});
