import { EC2Client } from "@aws-sdk/client-ec2";
import { beforeEach, describe, expect, it } from "vitest";
import { type DemoWorld, seedWorld } from "../../local/seed.js";
import { api } from "../support/api.js";
import { testDeps } from "../support/harness.js";
import { inspector } from "../support/inspect.js";

// Several allowed regions (ALLOWED_REGIONS): sessions live in their VPC's region, the timers in the
// service's home region (us-east-1), and the session limit counts every region.

const HOME = "us-east-1";
const OTHER = "eu-west-1";
const REGIONS = { ALLOWED_REGIONS: `${HOME},${OTHER}` };
const HOUR = 3_600_000;
const home = inspector(HOME);
const away = inspector(OTHER);
let here: DemoWorld;
let there: DemoWorld;

beforeEach(async () => {
  here = await seedWorld(new EC2Client({ region: HOME }), { region: HOME, instances: 1 });
  there = await seedWorld(new EC2Client({ region: OTHER }), { region: OTHER, instances: 1, cidr: "10.70.0.0/16" });
});

const names = (stacks: { StackName?: string }[]) => stacks.map((s) => s.StackName);

describe("sessions in several regions", () => {
  it("opens in the VPC's region, lists every region newest first, and finds a session by id in any of them", async () => {
    const deps = testDeps(REGIONS);
    const client = api(deps);
    expect((await client.open({ instanceId: here.instanceIds[0] })).status).toBe(202);
    deps.clock.advance(60_000);
    const opened = await client.open({ instanceId: there.instanceIds[0], region: OTHER });
    expect(opened).toMatchObject({ status: 202, body: { session: { id: there.vpcId, region: OTHER } } });

    expect(names(await away.liveStacks())).toEqual([`ssm-knock-${there.vpcId}`]);
    expect(names(await home.liveStacks())).toEqual([`ssm-knock-${here.vpcId}`]);
    const endpoints = await away.endpoints(there.vpcId);
    expect(endpoints.map((e) => e.ServiceName).sort()).toEqual([
      `com.amazonaws.${OTHER}.ec2messages`,
      `com.amazonaws.${OTHER}.ssm`,
      `com.amazonaws.${OTHER}.ssmmessages`,
    ]);

    const listed = await client.list();
    expect(listed.body.sessions.map((s: { id: string; region: string }) => [s.id, s.region])).toEqual([
      [there.vpcId, OTHER],
      [here.vpcId, HOME],
    ]);
    expect(await client.get(there.vpcId)).toMatchObject({ status: 200, body: { session: { region: OTHER, status: "ready" } } });
    expect(opened.body.session.connect).toBe(`aws ssm start-session --target ${there.instanceIds[0]} --region ${OTHER}`);
  });

  it("keeps every timer in the home region's group, aimed at the stack in its own region", async () => {
    const deps = testDeps(REGIONS);
    await api(deps).open({ vpcId: there.vpcId, region: OTHER, ttl: "1h" });
    expect(await home.scheduleNames()).toEqual([`ssm-knock-expire-${there.vpcId}`]);
    const timer = await home.schedule(`ssm-knock-expire-${there.vpcId}`);
    expect(JSON.parse(timer.Target?.Input ?? "{}")).toEqual({
      action: "expire",
      sessionId: there.vpcId,
      accountId: "123456789012",
      region: OTHER,
      stackName: `ssm-knock-${there.vpcId}`,
    });
    // No group, no timer in the other region: the deployment makes the group in the home region only.
    expect(await away.scheduleNames()).toEqual([]);

    // The timer's input deletes the stack in its region when it fires.
    deps.clock.advance(HOUR);
    expect(await api(deps).expire(JSON.parse(timer.Target?.Input ?? "{}"))).toMatchObject({ outcome: "deleted" });
    expect(await away.liveStacks()).toEqual([]);
  });

  it("counts the session limit across regions, and still lets a request join a session elsewhere", async () => {
    const client = api(testDeps({ ...REGIONS, MAX_SESSIONS: "1" }));
    expect((await client.open({ instanceId: there.instanceIds[0], region: OTHER })).status).toBe(202);
    const refused = await client.open({ instanceId: here.instanceIds[0] });
    expect(refused).toMatchObject({ status: 422, body: { error: { code: "session_limit_reached", limit: 1, open: 1 } } });
    expect(await home.liveStacks()).toEqual([]);
    expect(await home.endpoints(here.vpcId)).toEqual([]);
    expect((await client.open({ vpcId: there.vpcId, region: OTHER, ttl: "3h" })).status).toBe(200);
  });

  it("closes a session in another region and sweeps an expired one there, removing their home-region timers", async () => {
    const deps = testDeps(REGIONS);
    const client = api(deps);
    const third = await seedWorld(new EC2Client({ region: OTHER }), { region: OTHER, instances: 0, cidr: "10.71.0.0/16" });
    await client.open({ vpcId: there.vpcId, region: OTHER, ttl: "1h" });
    await client.open({ vpcId: third.vpcId, region: OTHER, ttl: "3h" });
    expect((await client.close(there.vpcId)).status).toBe(202);
    expect(await home.scheduleNames()).toEqual([`ssm-knock-expire-${third.vpcId}`]);

    deps.clock.advance(3 * HOUR);
    expect(await client.sweep()).toMatchObject({ stacksSeen: 1, expiredDeleted: 1, errors: 0 });
    expect(await away.liveStacks()).toEqual([]);
    expect(await home.scheduleNames()).toEqual([]);
  });
});
