import { DeleteVpcEndpointsCommand, DescribeInstancesCommand, EC2Client, RebootInstancesCommand } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import {
  DescribeInstanceInformationCommand,
  GetConnectionStatusCommand,
  GetServiceSettingCommand,
  paginateDescribeInstanceInformation,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { afterEach, describe, expect, inject, it } from "vitest";
import { gatherReadinessFacts } from "../../../lib/aws/readiness-facts.js";
import { nextRetry } from "../../../lib/readiness/backoff.js";
import { readinessChecks } from "../../../lib/readiness/checks.js";
import { createInstanceProfile, runInstance, seedAgentDemo } from "../../../local/agent/seed.js";
import { type AgentModelHandle, startAgentModel } from "../../../local/agent/start.js";
import { AGENT_TAGS } from "../../../local/agent/tags.js";
import { VirtualClock } from "../../../local/clock.js";
import { seedWorld } from "../../../local/seed.js";
import { endpointGroup, sessionManagerEndpoints } from "../../support/endpoints.js";

// Local mode's SSM Agent model: moto plus the front of local/agent/, on a virtual clock.
//   - an instance cut off for 6 hours is ConnectionLost, and comes Online at its next modelled
//     retry after the endpoints exist (inside the window lib/readiness/backoff.ts predicts);
//   - after a RebootInstances it registers within a minute;
//   - one without an instance profile never does;
//   - deleting the endpoints makes an Online instance ConnectionLost;
//   - the answers parse with the real SDK client (filters, paging, DHMC setting).

const REGION = "us-east-1";
const MINUTE = 60_000;
const moto = () => inject("motoEndpoint");
let handle: AgentModelHandle | undefined;
afterEach(async () => {
  await handle?.stop();
  handle = undefined;
});

async function setUp(options: { dhmcRole?: string; extraOffline?: number } = {}) {
  const direct = new EC2Client({ region: REGION });
  const iam = new IAMClient({ region: REGION });
  const world = await seedWorld(direct, { region: REGION, instances: 0 });
  const profile = await createInstanceProfile(iam, "agent-core");
  const offline = [{ Key: AGENT_TAGS.offlineFor, Value: "6h" }];
  const cutOff = await runInstance(direct, world, { profile, tags: offline });
  const rebooted = await runInstance(direct, world, { profile, tags: offline });
  const noProfile = await runInstance(direct, world, { tags: offline });
  for (let i = 0; i < (options.extraOffline ?? 0); i++) await runInstance(direct, world, { profile, tags: offline });
  const clock = new VirtualClock();
  const started = clock.now();
  handle = await startAgentModel({ motoEndpoint: moto(), clock: clock.now, dhmcRole: options.dhmcRole });
  const config = { region: REGION, endpoint: handle.endpoint };
  const ec2 = new EC2Client(config);
  const ssm = new SSMClient({ ...config, maxAttempts: 1 });
  /** The endpoints, created through the front (as local mode's handlers do). */
  const openEndpoints = async () =>
    Object.values(await sessionManagerEndpoints(ec2, world, REGION, await endpointGroup(ec2, world, "vpce", "endpoints")));
  /** Moves the virtual clock in steps and collects the model's events. */
  const advance = async (ms: number, stepMs = MINUTE) => {
    const events = [];
    for (let done = 0; done < ms; done += stepMs) {
      clock.advance(Math.min(stepMs, ms - done));
      events.push(...(await (handle as AgentModelHandle).advanceTo(clock.now())));
    }
    return events;
  };
  return { world, ec2, ssm, clock, started, cutOff, rebooted, noProfile, openEndpoints, advance };
}

const pingOf = async (ssm: SSMClient, id: string) =>
  (await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: "InstanceIds", Values: [id] }] })))
    .InstanceInformationList?.[0];

describe("local mode's agent model", () => {
  it("brings a 6-hour cut-off instance Online at its next modelled retry after the endpoints exist, and never one without a profile", async () => {
    const t = await setUp();
    const before = await pingOf(t.ssm, t.cutOff);
    expect(before).toMatchObject({ PingStatus: "ConnectionLost", AgentVersion: "3.3.1000.0", ResourceType: "EC2Instance" });
    const lostAt = before?.LastPingDateTime as Date;
    expect(Math.abs(t.started.getTime() - lostAt.getTime() - 6 * 3_600_000)).toBeLessThan(2000);
    expect(await pingOf(t.ssm, t.noProfile)).toMatchObject({ PingStatus: "ConnectionLost" });

    await t.openEndpoints();
    const window = nextRetry(lostAt, t.clock.now());
    const events = await t.advance(2 * 3_600_000);
    const online = events.filter((e) => e.event === "online");
    const cutOffOnline = online.find((e) => e.instanceId === t.cutOff);
    expect(cutOffOnline?.at.getTime()).toBeGreaterThanOrEqual(window.earliest.getTime());
    expect(cutOffOnline?.at.getTime()).toBeLessThanOrEqual(window.latest.getTime());
    expect(online.map((e) => e.instanceId)).not.toContain(t.noProfile);
    expect(await pingOf(t.ssm, t.cutOff)).toMatchObject({ PingStatus: "Online" });
    expect((await t.ssm.send(new GetConnectionStatusCommand({ Target: t.cutOff }))).Status).toBe("connected");
    expect((await t.ssm.send(new GetConnectionStatusCommand({ Target: t.noProfile }))).Status).toBe("notconnected");

    // The service's own reads, through the front: the instance without a profile names it.
    const [facts] = await gatherReadinessFacts(
      { ec2: t.ec2, ssm: t.ssm, iam: new IAMClient({ region: REGION }) },
      { region: REGION, instanceIds: [t.noProfile], vpcId: t.world.vpcId },
    );
    const checks = readinessChecks(facts, t.clock.now());
    expect(checks.find((c) => c.name === "instance-profile")).toMatchObject({ status: "fail" });
    expect(checks.find((c) => c.name === "agent-ping")?.message).toMatch(/ConnectionLost \(agent 3\.3\.1000\.0\); offline since/);
  });

  it("registers a rebooted instance within a minute of the reboot", async () => {
    const t = await setUp();
    await t.openEndpoints();
    await t.ec2.send(new RebootInstancesCommand({ InstanceIds: [t.rebooted] }));
    const rebootedAt = t.clock.now().getTime();
    const events = await t.advance(MINUTE, 10_000);
    const online = events.find((e) => e.instanceId === t.rebooted && e.event === "online");
    expect(online?.at.getTime()).toBeLessThanOrEqual(rebootedAt + MINUTE);
    expect(await pingOf(t.ssm, t.rebooted)).toMatchObject({ PingStatus: "Online" });
  });

  it("loses an Online instance when its endpoints go away", async () => {
    const t = await setUp();
    const endpoints = await t.openEndpoints();
    await t.ec2.send(new RebootInstancesCommand({ InstanceIds: [t.rebooted] }));
    await t.advance(MINUTE);
    await t.ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: endpoints }));
    const events = await t.advance(10 * MINUTE);
    expect(events).toContainEqual(expect.objectContaining({ instanceId: t.rebooted, event: "connection_lost" }));
    expect(await pingOf(t.ssm, t.rebooted)).toMatchObject({ PingStatus: "ConnectionLost" });
  });

  it("answers filters, paging and the DHMC setting in shapes the SDK parses", async () => {
    const t = await setUp({ dhmcRole: "AWSSystemsManagerDefaultEC2InstanceManagementRole", extraOffline: 4 });
    const pages = [];
    for await (const page of paginateDescribeInstanceInformation({ client: t.ssm, pageSize: 5 }, {})) pages.push(page);
    expect(pages.map((p) => p.InstanceInformationList?.length)).toEqual([5, 2]);
    const lost = await t.ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: "PingStatus", Values: ["Online"] }] }));
    expect(lost.InstanceInformationList).toEqual([]);
    await expect(t.ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: "Colour", Values: ["x"] }] }))).rejects.toMatchObject(
      {
        name: "InvalidFilterKey",
      },
    );
    const { ServiceSetting } = await t.ssm.send(
      new GetServiceSettingCommand({ SettingId: "/ssm/managed-instance/default-ec2-instance-management-role" }),
    );
    expect(ServiceSetting).toMatchObject({ SettingValue: "AWSSystemsManagerDefaultEC2InstanceManagementRole", Status: "Customized" });
    // With DHMC on, even the instance without a profile registers once there is a path.
    await t.openEndpoints();
    const events = await t.advance(2 * 3_600_000, 5 * MINUTE);
    expect(events).toContainEqual(expect.objectContaining({ instanceId: t.noProfile, event: "online" }));
  });

  it("seeds the demo: a profile with AmazonSSMManagedInstanceCore on the world's instances, one cut off 6 hours, one without a profile", async () => {
    const direct = new EC2Client({ region: REGION });
    const world = await seedWorld(direct, { region: REGION });
    const demo = await seedAgentDemo(direct, new IAMClient({ region: REGION }), world);
    const { Reservations } = await direct.send(new DescribeInstancesCommand({}));
    const profiles = new Map(Reservations?.flatMap((r) => r.Instances ?? []).map((i) => [i.InstanceId, i.IamInstanceProfile?.Arn]));
    for (const id of [...world.instanceIds, demo.offlineInstanceId])
      expect(profiles.get(id)).toMatch(/instance-profile\/ssm-knock-demo-agent$/);
    expect(profiles.get(demo.noProfileInstanceId)).toBeUndefined();
    const clock = new VirtualClock();
    handle = await startAgentModel({ motoEndpoint: moto(), clock: clock.now });
    const ssm = new SSMClient({ region: REGION, endpoint: handle.endpoint });
    const { InstanceInformationList } = await ssm.send(new DescribeInstanceInformationCommand({}));
    expect(InstanceInformationList?.map((i) => [i.InstanceId, i.PingStatus])).toEqual([[demo.offlineInstanceId, "ConnectionLost"]]);
  });
});
