import { DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { CreateSecurityGroupCommand, EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { beforeEach, describe, expect, it } from "vitest";
import { type DemoWorld, seedWorld } from "../../local/seed.js";
import { api } from "../support/api.js";
import { CALLER } from "../support/events.js";
import { testDeps } from "../support/harness.js";
import { inspector } from "../support/inspect.js";

const look = inspector();
const HOUR = 3_600_000;
let world: DemoWorld;

beforeEach(async () => {
  world = await seedWorld(new EC2Client({ region: "us-east-1" }), { region: "us-east-1" });
});

const expireSchedule = () => look.schedule(`ssm-knock-expire-${world.vpcId}`);
const stackParameter = async (key: string) => {
  const { Stacks } = await look.cloudFormation.send(new DescribeStacksCommand({ StackName: `ssm-knock-${world.vpcId}` }));
  return Stacks?.[0]?.Parameters?.find((p) => p.ParameterKey === key)?.ParameterValue;
};

describe("GET /sessions and GET /sessions/{id}", () => {
  it("lists sessions newest first and shows one with its endpoints' states", async () => {
    const deps = testDeps();
    const client = api(deps);
    const other = await seedWorld(look.ec2, { region: "us-east-1", cidr: "10.60.0.0/16", instances: 1 });
    await client.open({ instanceId: world.instanceIds[0] });
    deps.clock.advance(60_000);
    await client.open({ instanceId: other.instanceIds[0] });

    const listed = await client.list();
    expect(listed.status).toBe(200);
    expect(listed.body.sessions.map((s: { id: string }) => s.id)).toEqual([other.vpcId, world.vpcId]);

    const shown = await client.get(world.vpcId);
    expect(shown.status).toBe(200);
    expect(shown.body.session).toMatchObject({ id: world.vpcId, status: "ready", requestedBy: CALLER });
    expect(shown.body.session.endpoints.map((e: { service: string; state: string }) => `${e.service}:${e.state}`).sort()).toEqual([
      "ec2messages:available",
      "ssm:available",
      "ssmmessages:available",
    ]);
    // moto has no DescribeInstanceInformation or GetConnectionStatus (local mode's agent model
    // answers them): the readiness degrades to unknown, the request does not fail, and the checks
    // moto can answer (the network, the VPC's DNS) are still made.
    const [instance] = shown.body.session.instances;
    expect(instance).toMatchObject({ id: world.instanceIds[0], pingStatus: "unknown", connectable: null, rebootedAt: null });
    expect(shown.body.session.connectable).toBeNull();
    const status = Object.fromEntries(instance.checks.map((c: { name: string; status: string }) => [c.name, c.status]));
    expect(status).toMatchObject({ "instance-running": "ok", "agent-ping": "unknown", "endpoint-ssm": "ok", "vpc-dns": "ok" });
  });

  it("answers 404 not_found for a VPC without a session and for an id that is no VPC id", async () => {
    const client = api(testDeps());
    expect(await client.get(world.vpcId)).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect(await client.get("nope")).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
  });
});

describe("POST /sessions/{id}/extend", () => {
  it("moves the expiry, the stack's record and the schedule together", async () => {
    const deps = testDeps();
    const client = api(deps);
    await client.open({ instanceId: world.instanceIds[0], ttl: "2h" });
    deps.clock.advance(30 * 60_000);
    const extended = await client.extend(world.vpcId, { ttl: "4h" });
    expect(extended.status).toBe(200);
    expect(extended.body.session.expiresAt).toBe("2026-11-30T14:30:00Z");
    expect(await stackParameter("ExpiresAt")).toBe("2026-11-30T14:30:00Z");
    expect((await expireSchedule()).ScheduleExpression).toBe("at(2026-11-30T14:30:00)");
    expect(await look.scheduleNames()).toEqual([`ssm-knock-expire-${world.vpcId}`]);
  });

  it("never makes the expiry earlier", async () => {
    const deps = testDeps();
    const client = api(deps);
    await client.open({ instanceId: world.instanceIds[0], ttl: "4h" });
    const extended = await client.extend(world.vpcId, { ttl: "1h" });
    expect(extended.body.session.expiresAt).toBe("2026-11-30T14:00:00Z");
    expect((await expireSchedule()).ScheduleExpression).toBe("at(2026-11-30T14:00:00)");
  });

  it("refuses to pass the maximum lifetime with 422 max_lifetime_exceeded", async () => {
    const deps = testDeps({ MAX_LIFETIME: "6h" });
    const client = api(deps);
    await client.open({ instanceId: world.instanceIds[0], ttl: "2h" });
    deps.clock.advance(HOUR);
    const refused = await client.extend(world.vpcId, { ttl: "6h" });
    expect(refused).toMatchObject({ status: 422, body: { error: { code: "max_lifetime_exceeded", field: "ttl" } } });
    expect(await stackParameter("ExpiresAt")).toBe("2026-11-30T12:00:00Z");
  });

  it("answers 404 for a VPC without a session and 400 for a missing ttl", async () => {
    const client = api(testDeps());
    expect((await client.extend(world.vpcId, { ttl: "1h" })).status).toBe(404);
    expect((await client.extend(world.vpcId, {})).body.error).toMatchObject({ code: "invalid_request", field: "ttl" });
  });

  it("makes a stale schedule delete nothing", async () => {
    const deps = testDeps();
    const client = api(deps);
    await client.open({ instanceId: world.instanceIds[0], ttl: "2h" });
    const staleInput = JSON.parse((await expireSchedule()).Target?.Input ?? "");
    await client.extend(world.vpcId, { ttl: "5h" });
    deps.clock.advance(2 * HOUR); // the old expiry: a timer that was not moved would fire now
    expect(await client.expire(staleInput)).toMatchObject({ outcome: "not_expired" });
    expect((await look.liveStacks()).length).toBe(1);
    deps.clock.advance(3 * HOUR);
    expect(await client.expire(staleInput)).toMatchObject({ outcome: "deleted" });
  });
});

describe("DELETE /sessions/{id}", () => {
  it("closes now: 202 closing, the stack deleted and its schedules removed", async () => {
    const client = api(testDeps());
    await client.open({ instanceId: world.instanceIds[0] });
    const closed = await client.close(world.vpcId);
    expect(closed).toMatchObject({ status: 202, body: { session: { id: world.vpcId, status: "closing" } } });
    expect(await look.liveStacks()).toEqual([]);
    expect(await look.scheduleNames()).toEqual([]);
    expect((await client.close(world.vpcId)).status).toBe(404);
  });
});

describe("overlapping requests", () => {
  it("join the session: later expiry wins, both instances' groups and AZs are covered, both requesters recorded", async () => {
    const deps = testDeps();
    const bob = "arn:aws:iam::123456789012:user/bob";
    const { GroupId: otherGroup } = await look.ec2.send(
      new CreateSecurityGroupCommand({ VpcId: world.vpcId, GroupName: "batch", Description: "batch workers" }),
    );
    const { Instances } = await look.ec2.send(
      new RunInstancesCommand({
        ImageId: "ami-0123456789abcdef0",
        MinCount: 1,
        MaxCount: 1,
        SubnetId: world.subnetIds[1],
        SecurityGroupIds: [otherGroup as string],
      }),
    );
    const second = Instances?.[0]?.InstanceId as string;
    const client = api(deps);

    expect((await client.open({ instanceId: world.instanceIds[0], ttl: "4h" })).status).toBe(202);
    deps.clock.advance(10 * 60_000);
    const joined = await client.open({ instanceId: second, ttl: "1h" }, bob);
    expect(joined.status).toBe(200);
    expect(joined.body.session.expiresAt).toBe("2026-11-30T14:00:00Z"); // not shortened to 11:10
    expect(joined.body.session.requesters).toEqual([CALLER, bob]);
    expect(joined.body.session.instances.map((i: { id: string }) => i.id)).toEqual([world.instanceIds[0], second]);

    expect(await stackParameter("SourceSecurityGroupIds")).toBe(`${world.securityGroupId},${otherGroup}`);
    expect(await stackParameter("SubnetIds")).toContain(world.subnetIds[1]);
    expect((await expireSchedule()).ScheduleExpression).toBe("at(2026-11-30T14:00:00)");

    deps.clock.advance(10 * 60_000);
    const later = await client.open({ instanceId: second, ttl: "6h" }, bob);
    expect(later.body.session.expiresAt).toBe("2026-11-30T16:20:00Z");
    expect((await expireSchedule()).ScheduleExpression).toBe("at(2026-11-30T16:20:00)");
  });

  it("concurrent opens for one VPC end with one stack and one schedule at the latest expiry", async () => {
    const deps = testDeps();
    const client = api(deps);
    const ttls = ["1h", "3h", "2h", "30m", "2h30m"];
    const replies = await Promise.all(ttls.map((ttl) => client.open({ vpcId: world.vpcId, ttl })));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 202]);
    expect((await look.liveStacks()).map((s) => s.StackName)).toEqual([`ssm-knock-${world.vpcId}`]);
    expect(await look.scheduleNames()).toEqual([`ssm-knock-expire-${world.vpcId}`]);
    expect(await stackParameter("ExpiresAt")).toBe("2026-11-30T13:00:00Z");
    expect((await expireSchedule()).ScheduleExpression).toBe("at(2026-11-30T13:00:00)");
  });
});
