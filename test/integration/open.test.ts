import { CreateVpcEndpointCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DeleteScheduleGroupCommand, GetScheduleGroupCommand, ListTagsForResourceCommand } from "@aws-sdk/client-scheduler";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { createHandler as createExpire } from "../../functions/expire.js";
import { createHandler as createOpen } from "../../functions/open.js";
import { attributed } from "../../local/aws-call-log.js";
import { type DemoWorld, seedWorld } from "../../local/seed.js";
import { sessionManagerEndpoints } from "../support/endpoints.js";
import { apiEvent, CALLER, lambdaContext } from "../support/events.js";
import { testDeps } from "../support/harness.js";
import { inspector } from "../support/inspect.js";
import { startFaultProxy } from "../support/throttle-proxy.js";

const look = inspector();
let world: DemoWorld;

beforeEach(async () => {
  world = await seedWorld(new EC2Client({ region: "us-east-1" }), { region: "us-east-1" });
});

const open = (deps: ReturnType<typeof testDeps>, body: unknown) =>
  attributed(
    "open",
    createOpen(() => deps),
  )(apiEvent("POST", "/sessions", body), lambdaContext);
const expireFunction = (deps: ReturnType<typeof testDeps>) =>
  attributed(
    "expire",
    createExpire(() => deps),
  );

const parse = (response: { body?: string }) => JSON.parse(response.body ?? "{}");

describe("POST /sessions by instance id", () => {
  it("creates a stack with the three Session Manager endpoints in the instance's subnet", async () => {
    const deps = testDeps();
    const response = await open(deps, { instanceId: world.instanceIds[0], ttl: "2h", reason: "debug payments" });
    expect(response.statusCode).toBe(202);
    const { session } = parse(response);
    expect(session).toMatchObject({
      id: world.vpcId,
      vpcId: world.vpcId,
      region: "us-east-1",
      stackName: `ssm-knock-${world.vpcId}`,
      status: "creating",
      createdAt: "2026-11-30T10:00:00Z",
      expiresAt: "2026-11-30T12:00:00Z",
      requestedBy: CALLER,
      reason: "debug payments",
      connect: `aws ssm start-session --target ${world.instanceIds[0]} --region us-east-1`,
      // 3 endpoints x 1 AZ x 2 h x USD 0.01
      estimatedCostUsd: 0.06,
    });

    const [stack] = await look.liveStacks();
    expect(stack.StackName).toBe(`ssm-knock-${world.vpcId}`);
    expect(stack.Tags).toEqual(
      expect.arrayContaining([
        { Key: "ssm-knock:managed", Value: "true" },
        { Key: "ssm-knock:expires-at", Value: "2026-11-30T12:00:00Z" },
        { Key: "ssm-knock:requested-by", Value: CALLER },
      ]),
    );
    const endpoints = await look.endpoints(world.vpcId);
    expect(endpoints.map((e) => e.ServiceName).sort()).toEqual([
      "com.amazonaws.us-east-1.ec2messages",
      "com.amazonaws.us-east-1.ssm",
      "com.amazonaws.us-east-1.ssmmessages",
    ]);
    for (const endpoint of endpoints) {
      expect(endpoint.VpcEndpointType).toBe("Interface");
      expect(endpoint.PrivateDnsEnabled).toBe(true);
      expect(endpoint.SubnetIds).toEqual([world.subnetIds[0]]);
    }
    const groupId = endpoints[0].Groups?.[0]?.GroupId as string;
    const group = await look.securityGroup(groupId);
    const rules = group?.IpPermissions ?? [];
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ IpProtocol: "tcp", FromPort: 443, ToPort: 443 });
    expect(rules[0].UserIdGroupPairs?.map((pair) => pair.GroupId)).toEqual([world.securityGroupId]);
    expect(rules[0].IpRanges).toEqual([]);
  });

  it("registers a one-time UTC schedule at the expiry that targets the expire function", async () => {
    const deps = testDeps();
    await open(deps, { instanceId: world.instanceIds[0], ttl: "1h30m" });
    expect(await look.scheduleNames()).toEqual([`ssm-knock-expire-${world.vpcId}`]);
    const schedule = await look.schedule(`ssm-knock-expire-${world.vpcId}`);
    expect(schedule).toMatchObject({
      ScheduleExpression: "at(2026-11-30T11:30:00)",
      ScheduleExpressionTimezone: "UTC",
      FlexibleTimeWindow: { Mode: "OFF" },
      ActionAfterCompletion: "DELETE",
      State: "ENABLED",
    });
    expect(schedule.Target?.Arn).toBe(deps.config.expireFunctionArn);
    expect(schedule.Target?.RoleArn).toBe(deps.config.schedulerRoleArn);
    expect(schedule.Target?.RetryPolicy).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 });
    expect(JSON.parse(schedule.Target?.Input ?? "")).toEqual({
      action: "expire",
      sessionId: world.vpcId,
      accountId: "123456789012",
      region: "us-east-1",
      stackName: `ssm-knock-${world.vpcId}`,
    });
  });

  it("rounds the expiry up to the whole minute the scheduler can fire at", async () => {
    const deps = testDeps();
    deps.clock.advance(12_345);
    const { session } = parse(await open(deps, { instanceId: world.instanceIds[0], ttl: 1 }));
    expect(session.expiresAt).toBe("2026-11-30T11:01:00Z");
    expect((await look.schedule(`ssm-knock-expire-${world.vpcId}`)).ScheduleExpression).toBe("at(2026-11-30T11:01:00)");
  });
});

describe("the schedule group", () => {
  it("is re-created, tagged as ssm-knock's, when someone deleted it, and the expiry timer lands in it", async () => {
    await look.scheduler.send(new DeleteScheduleGroupCommand({ Name: "ssm-knock" }));
    await expect(look.scheduler.send(new GetScheduleGroupCommand({ Name: "ssm-knock" }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
    // Into a group that does not exist, Scheduler answers ResourceNotFoundException; moto answers
    // HTTP 500. The proxy gives that one answer as AWS would; the group's re-creation and the
    // schedule then reach moto.
    const proxy = await startFaultProxy(inject("motoEndpoint"));
    try {
      process.env.AWS_ENDPOINT_URL = proxy.url;
      proxy.inject({ service: "scheduler", action: "CreateSchedule", times: 1, reply: "missing" });
      expect((await open(testDeps(), { instanceId: world.instanceIds[0], ttl: "1h" })).statusCode).toBe(202);
      expect(proxy.passed).toEqual(expect.arrayContaining(["scheduler:CreateScheduleGroup:200", "scheduler:CreateSchedule:200"]));
    } finally {
      process.env.AWS_ENDPOINT_URL = inject("motoEndpoint");
      await proxy.stop();
    }
    const group = await look.scheduler.send(new GetScheduleGroupCommand({ Name: "ssm-knock" }));
    expect(group.State).toBe("ACTIVE");
    const { Tags } = await look.scheduler.send(new ListTagsForResourceCommand({ ResourceArn: group.Arn }));
    expect(Tags).toEqual([{ Key: "ssm-knock:managed", Value: "true" }]);
    expect(await look.scheduleNames()).toEqual([`ssm-knock-expire-${world.vpcId}`]);
    expect((await look.schedule(`ssm-knock-expire-${world.vpcId}`)).ScheduleExpression).toBe("at(2026-11-30T11:00:00)");
  });
});

describe("the expire function", () => {
  it("deletes the stack when invoked with the schedule's input after the expiry", async () => {
    const deps = testDeps();
    await open(deps, { instanceId: world.instanceIds[0], ttl: "2h" });
    const input = JSON.parse((await look.schedule(`ssm-knock-expire-${world.vpcId}`)).Target?.Input ?? "");
    deps.clock.advance(2 * 3_600_000);
    const expire = expireFunction(deps);
    expect(await expire(input, lambdaContext)).toMatchObject({ outcome: "deleted" });
    expect(await look.liveStacks()).toEqual([]);
    // delivered again (Scheduler retries at least once): the stack is gone, which is success
    expect(await expire(input, lambdaContext)).toMatchObject({ outcome: "already_gone" });
  });

  it("deletes nothing before the recorded expiry (a stale schedule)", async () => {
    const deps = testDeps();
    await open(deps, { instanceId: world.instanceIds[0], ttl: "2h" });
    const input = JSON.parse((await look.schedule(`ssm-knock-expire-${world.vpcId}`)).Target?.Input ?? "");
    deps.clock.advance(3_600_000);
    expect(await expireFunction(deps)(input, lambdaContext)).toMatchObject({ outcome: "not_expired" });
    expect((await look.liveStacks()).map((s) => s.StackName)).toEqual([`ssm-knock-${world.vpcId}`]);
  });

  it("rejects an event that is not a timer input", async () => {
    const deps = testDeps();
    await expect(expireFunction(deps)({ sessionId: "nope" }, lambdaContext)).rejects.toThrow(/Not an ssm-knock timer event/);
  });
});

describe("preflight refusals create nothing", () => {
  it("answers 422 vpc_dns_disabled when the VPC lacks DNS hostnames", async () => {
    const ec2 = new EC2Client({ region: "us-east-1" });
    const dark = await seedWorld(ec2, { region: "us-east-1", dns: false, cidr: "10.77.0.0/16", instances: 1 });
    const response = await open(testDeps(), { instanceId: dark.instanceIds[0] });
    expect(response.statusCode).toBe(422);
    const { error } = parse(response);
    expect(error.code).toBe("vpc_dns_disabled");
    expect(error.field).toBe("vpcId");
    expect(error.message).toContain("modify-vpc-attribute");
    expect(await look.nothingCreated(dark.vpcId)).toEqual({ stacks: [], schedules: [], endpoints: [] });
  });

  it("answers alreadyReachable when the VPC already has all three endpoints", async () => {
    const ec2 = new EC2Client({ region: "us-east-1" });
    const existing = Object.values(await sessionManagerEndpoints(ec2, world, "us-east-1"));
    const response = await open(testDeps(), { vpcId: world.vpcId });
    expect(response.statusCode).toBe(200);
    const body = parse(response);
    expect(body.alreadyReachable).toBe(true);
    expect(body.endpoints.map((e: { id: string }) => e.id).sort()).toEqual([...existing].sort());
    expect(await look.liveStacks()).toEqual([]);
    expect(await look.scheduleNames()).toEqual([]);
  });

  it("creates only the endpoints the VPC lacks", async () => {
    const ec2 = new EC2Client({ region: "us-east-1" });
    await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: world.vpcId,
        ServiceName: "com.amazonaws.us-east-1.ssm",
        VpcEndpointType: "Interface",
        SubnetIds: [world.subnetIds[0]],
        PrivateDnsEnabled: true,
      }),
    );
    const { session } = parse(await open(testDeps(), { vpcId: world.vpcId }));
    expect(session.endpoints.map((e: { service: string }) => e.service)).toEqual(["ssmmessages", "ec2messages"]);
    const created = (await look.endpoints(world.vpcId)).filter((e) => e.Tags?.some((t) => t.Key === "aws:cloudformation:stack-name"));
    expect(created.map((e) => e.ServiceName).sort()).toEqual([
      "com.amazonaws.us-east-1.ec2messages",
      "com.amazonaws.us-east-1.ssmmessages",
    ]);
  });

  it("refuses a subnet of another VPC", async () => {
    const other = await seedWorld(new EC2Client({ region: "us-east-1" }), { region: "us-east-1", cidr: "10.88.0.0/16", instances: 0 });
    const response = await open(testDeps(), { vpcId: world.vpcId, subnetIds: [other.subnetIds[0]] });
    expect(response.statusCode).toBe(422);
    expect(parse(response).error).toMatchObject({ code: "subnet_not_in_vpc", field: "subnetIds" });
    expect(await look.nothingCreated(world.vpcId)).toEqual({ stacks: [], schedules: [], endpoints: [] });
  });

  it.each([
    [{ instanceId: "i-0000000000000dead" }, 404, "instanceId"],
    [{ vpcId: "vpc-0000000000000dead" }, 404, "vpcId"],
    [{ instanceId: "i-123" }, 400, "instanceId"],
    [{}, 400, "instanceId"],
    [{ ttl: "forever", vpcId: "vpc-0000000000000dead" }, 400, "ttl"],
    [{ ttl: "13h", instanceId: "i-0000000000000dead" }, 422, "ttl"],
    [{ vpcId: "vpc-00000000", color: "blue" }, 400, "color"],
  ])("refuses %j with %i naming %s", async (body, status, field) => {
    const response = await open(testDeps(), body);
    expect(response.statusCode).toBe(status);
    expect(parse(response).error.field).toBe(field);
    expect(await look.nothingCreated(world.vpcId)).toEqual({ stacks: [], schedules: [], endpoints: [] });
  });
});

describe("a stack never exists without an enforced expiry", () => {
  it("deletes the new stack and answers 502 when Scheduler refuses the schedule", async () => {
    // The real SDK through the fault proxy: moto creates the stack, Scheduler's AccessDenied comes
    // over the wire as AWS sends it, and the undo's DeleteStack reaches moto.
    const proxy = await startFaultProxy(inject("motoEndpoint"));
    try {
      process.env.AWS_ENDPOINT_URL = proxy.url;
      proxy.inject({ service: "scheduler", action: "CreateSchedule", reply: "deny" });
      const response = await open(testDeps(), { instanceId: world.instanceIds[0] });
      expect(response.statusCode).toBe(502);
      expect(parse(response).error).toMatchObject({ code: "schedule_failed", message: expect.stringContaining("no access was opened") });
      expect(proxy.served).toEqual(["scheduler:CreateSchedule:deny"]);
      expect(proxy.passed).toEqual(expect.arrayContaining(["cloudformation:CreateStack:200", "cloudformation:DeleteStack:200"]));
    } finally {
      process.env.AWS_ENDPOINT_URL = inject("motoEndpoint");
      await proxy.stop();
    }
    expect(await look.liveStacks()).toEqual([]);
    expect(await look.scheduleNames()).toEqual([]);
  });
});
