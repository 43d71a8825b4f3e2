import { DeleteStackCommand } from "@aws-sdk/client-cloudformation";
import { EC2Client } from "@aws-sdk/client-ec2";
import { DeleteScheduleCommand } from "@aws-sdk/client-scheduler";
import { beforeEach, describe, expect, it } from "vitest";
import { type DemoWorld, seedWorld } from "../../local/seed.js";
import { api } from "../support/api.js";
import { faultProxyForFile } from "../support/fault-proxy-file.js";
import { manualClock, testDeps } from "../support/harness.js";
import { inspector } from "../support/inspect.js";
import { invariantViolations } from "../support/invariants.js";

// Faults AWS really produces, injected at the HTTP layer in front of moto (or done to moto behind
// the service's back). After the sweeper runs, the invariants must hold: no stack past its
// expiry, no schedule without a stack, no stack without an enforced expiry.

const HOUR = 3_600_000;
const look = inspector();
let world: DemoWorld;
const proxy = await faultProxyForFile();

beforeEach(async () => {
  world = await seedWorld(new EC2Client({ region: "us-east-1" }), { region: "us-east-1", instances: 1 });
});

/** The service's own dependencies (real SDK clients, real retry settings) talking through the proxy. */
function throughProxy(clock = manualClock()) {
  process.env.AWS_ENDPOINT_URL = proxy.url;
  const deps = testDeps({}, clock);
  return { deps, client: api(deps) };
}

/** The proxy has served (at least) these faults, as "service:Action:reply". */
const servedIncludes = (...faults: string[]) => expect(proxy.served).toEqual(expect.arrayContaining(faults));

const stackNames = async () => (await look.liveStacks()).map((s) => s.StackName);

describe("throttling", () => {
  it("rides out throttled CloudFormation and Scheduler calls on open, expiry and sweep", async () => {
    const { deps, client } = throughProxy();
    for (const action of ["DescribeStacks", "CreateStack", "DeleteStack", "ListStacks"]) {
      proxy.inject({ service: "cloudformation", action, times: 1, reply: "throttle" });
    }
    for (const action of ["CreateSchedule", "DeleteSchedule", "ListSchedules"]) {
      proxy.inject({ service: "scheduler", action, times: 1, reply: "throttle" });
    }

    const opened = await client.open({ instanceId: world.instanceIds[0], ttl: "1h" });
    expect(opened.status).toBe(202);
    servedIncludes("cloudformation:CreateStack:throttle", "scheduler:CreateSchedule:throttle", "cloudformation:DescribeStacks:throttle");
    expect(await invariantViolations(deps.clock())).toEqual([]);

    deps.clock.advance(HOUR);
    const input = { action: "expire", sessionId: world.vpcId, region: "us-east-1", stackName: `ssm-knock-${world.vpcId}` };
    expect(await client.expire(input)).toMatchObject({ outcome: "deleted" });
    servedIncludes("cloudformation:DeleteStack:throttle", "scheduler:DeleteSchedule:throttle");
    expect(await client.sweep()).toMatchObject({ errors: 0 });
    expect(proxy.served).toContain("scheduler:ListSchedules:throttle");
    proxy.clear();
    expect(await stackNames()).toEqual([]);
    expect(await invariantViolations(deps.clock())).toEqual([]);
  });

  it("rides out 408 RequestTimeout answers and connections cut before any answer (the SDK's own retries)", async () => {
    const { deps, client } = throughProxy();
    proxy.inject({ service: "cloudformation", action: "CreateStack", times: 1, reply: "timeout" });
    proxy.inject({ service: "scheduler", action: "CreateSchedule", times: 1, reply: "reset" });
    proxy.inject({ service: "cloudformation", action: "DescribeStacks", times: 1, reply: "reset" });
    proxy.inject({ service: "scheduler", action: "DeleteSchedule", times: 1, reply: "timeout" });
    proxy.inject({ service: "cloudformation", action: "DeleteStack", times: 1, reply: "reset" });

    expect((await client.open({ instanceId: world.instanceIds[0], ttl: "1h" })).status).toBe(202);
    servedIncludes("cloudformation:CreateStack:timeout", "scheduler:CreateSchedule:reset", "cloudformation:DescribeStacks:reset");
    expect(await invariantViolations(deps.clock())).toEqual([]);
    expect((await client.close(world.vpcId)).status).toBe(202);
    servedIncludes("scheduler:DeleteSchedule:timeout", "cloudformation:DeleteStack:reset");
    proxy.clear();
    expect(await stackNames()).toEqual([]);
    expect(await look.scheduleNames()).toEqual([]);
  });

  it("gives up on a refusal at once: an AccessDenied is not retried", async () => {
    const { client } = throughProxy();
    proxy.inject({ service: "cloudformation", action: "CreateStack", reply: "deny" });
    expect((await client.open({ instanceId: world.instanceIds[0] })).status).toBe(500);
    expect(proxy.served.filter((fault) => fault === "cloudformation:CreateStack:deny")).toHaveLength(1);
    proxy.clear();
    expect(await look.nothingCreated(world.vpcId)).toEqual({ stacks: [], schedules: [], endpoints: [] });
  });
});

describe("a schedule that cannot be made after the stack was", () => {
  it("deletes the new stack again and answers 502", async () => {
    const { deps, client } = throughProxy();
    proxy.inject({ service: "scheduler", action: "CreateSchedule", reply: "deny" });
    const opened = await client.open({ instanceId: world.instanceIds[0] });
    expect(opened).toMatchObject({ status: 502, body: { error: { code: "schedule_failed" } } });
    proxy.clear();
    expect(await stackNames()).toEqual([]);
    expect(await invariantViolations(deps.clock())).toEqual([]);
  });

  it("leaves a stack the undo could not delete to the sweeper, which gives it a timer and later deletes it", async () => {
    const { deps, client } = throughProxy();
    proxy.inject({ service: "scheduler", action: "CreateSchedule", reply: "deny" });
    proxy.inject({ service: "cloudformation", action: "DeleteStack", reply: "deny" });
    expect((await client.open({ instanceId: world.instanceIds[0], ttl: "1h" })).status).toBe(502);
    proxy.clear();
    expect(await invariantViolations(deps.clock())).toEqual([`stack ssm-knock-${world.vpcId} has no expire schedule`]);

    expect(await client.sweep()).toMatchObject({ schedulesRecreated: 1, errors: 0 });
    expect(await invariantViolations(deps.clock())).toEqual([]);
    deps.clock.advance(HOUR);
    expect(await client.sweep()).toMatchObject({ expiredDeleted: 1, errors: 0 });
    expect(await invariantViolations(deps.clock())).toEqual([]);
    expect(await stackNames()).toEqual([]);
  });
});

describe("a delete that ends in DELETE_FAILED", () => {
  it("is retried by the sweeper until the stack is gone", async () => {
    const { deps, client } = throughProxy();
    await client.open({ instanceId: world.instanceIds[0], ttl: "1h" });
    deps.clock.advance(HOUR);
    // CloudFormation accepts the delete, then fails it (endpoint interfaces still hold the group).
    proxy.inject({ service: "cloudformation", action: "DeleteStack", times: 1, reply: "pretend" });
    const input = { action: "expire", sessionId: world.vpcId, region: "us-east-1", stackName: `ssm-knock-${world.vpcId}` };
    expect(await client.expire(input)).toMatchObject({ outcome: "deleted" });
    proxy.rewrite({
      service: "cloudformation",
      action: "DescribeStacks",
      edit: (xml) => xml.replace(/<StackStatus>[A-Z_]+<\/StackStatus>/g, "<StackStatus>DELETE_FAILED</StackStatus>"),
    });
    expect(await stackNames()).toEqual([`ssm-knock-${world.vpcId}`]);

    expect(await client.sweep()).toMatchObject({ deleteRetried: 1, errors: 0 });
    proxy.clear();
    expect(await stackNames()).toEqual([]);
    expect(await invariantViolations(deps.clock())).toEqual([]);
  });
});

describe("things done behind the service's back", () => {
  it("a lost schedule: the sweeper re-creates it, and deletes the stack at its expiry", async () => {
    const deps = testDeps();
    const client = api(deps);
    await client.open({ instanceId: world.instanceIds[0], ttl: "2h" });
    await look.scheduler.send(new DeleteScheduleCommand({ Name: `ssm-knock-expire-${world.vpcId}`, GroupName: "ssm-knock" }));
    expect(await invariantViolations(deps.clock())).toHaveLength(1);
    await client.sweep();
    expect(await invariantViolations(deps.clock())).toEqual([]);
    deps.clock.advance(2 * HOUR);
    await client.sweep();
    expect(await invariantViolations(deps.clock())).toEqual([]);
    expect(await stackNames()).toEqual([]);
  });

  it("a stack deleted by someone else: the orphan schedule is removed, and its delivery deletes nothing", async () => {
    const deps = testDeps();
    const client = api(deps);
    await client.open({ instanceId: world.instanceIds[0], ttl: "2h" });
    await look.cloudFormation.send(new DeleteStackCommand({ StackName: `ssm-knock-${world.vpcId}` }));
    expect(await invariantViolations(deps.clock())).toEqual([`schedule ssm-knock-expire-${world.vpcId} has no stack`]);
    expect(await client.sweep()).toMatchObject({ schedulesRemoved: 1, errors: 0 });
    expect(await invariantViolations(deps.clock())).toEqual([]);
    const input = { action: "expire", sessionId: world.vpcId, region: "us-east-1", stackName: `ssm-knock-${world.vpcId}` };
    expect(await client.expire(input)).toMatchObject({ outcome: "already_gone" });
  });

  it("the expire event delivered twice, at once and again later: one deletion, no error", async () => {
    const deps = testDeps();
    const client = api(deps);
    await client.open({ instanceId: world.instanceIds[0], ttl: "1h" });
    const input = { action: "expire", sessionId: world.vpcId, region: "us-east-1", stackName: `ssm-knock-${world.vpcId}` };
    // early duplicates (a stale timer) delete nothing
    expect(await Promise.all([client.expire(input), client.expire(input)])).toEqual([
      expect.objectContaining({ outcome: "not_expired" }),
      expect.objectContaining({ outcome: "not_expired" }),
    ]);
    deps.clock.advance(HOUR);
    const outcomes = (await Promise.all([client.expire(input), client.expire(input)])).map((r) => r.outcome);
    // serialised per session: exactly one deletion (and one "closed" announcement)
    expect(outcomes.sort()).toEqual(["already_gone", "deleted"]);
    expect(await client.expire(input)).toMatchObject({ outcome: "already_gone" });
    await client.sweep();
    expect(await invariantViolations(deps.clock())).toEqual([]);
    expect(await stackNames()).toEqual([]);
  });
});
