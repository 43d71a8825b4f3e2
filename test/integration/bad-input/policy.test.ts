import { CreateTagsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { beforeEach, describe, expect, it } from "vitest";
import { type DemoWorld, seedWorld } from "../../../local/seed.js";
import { api } from "../../support/api.js";
import { testDeps } from "../../support/harness.js";
import { inspector } from "../../support/inspect.js";

// The deployment's policy (allowed VPCs, regions, TTL bounds, lifetime, session count), each
// refusal checked against the emulator: a refused request leaves nothing behind.
const look = inspector();
const ec2 = new EC2Client({ region: "us-east-1" });
const NOTHING = { stacks: [], schedules: [], endpoints: [] };
let world: DemoWorld;
let other: DemoWorld;

beforeEach(async () => {
  world = await seedWorld(ec2, { region: "us-east-1" });
  other = await seedWorld(ec2, { region: "us-east-1", cidr: "10.61.0.0/16", instances: 1 });
});

describe("allowed VPCs", () => {
  it("refuses a VPC missing from ALLOWED_VPC_IDS with 403, by VPC or by instance", async () => {
    const client = api(testDeps({ ALLOWED_VPC_IDS: other.vpcId }));
    const byVpc = await client.open({ vpcId: world.vpcId });
    expect(byVpc).toMatchObject({ status: 403, body: { error: { code: "forbidden", field: "vpcId" } } });
    expect(byVpc.body.error.message).toContain(world.vpcId);
    const byInstance = await client.open({ instanceId: world.instanceIds[0] });
    expect(byInstance).toMatchObject({ status: 403, body: { error: { code: "forbidden", field: "instanceId" } } });
    expect(await look.nothingCreated(world.vpcId)).toEqual(NOTHING);
    expect((await client.open({ vpcId: other.vpcId })).status).toBe(202);
  });

  it("admits a VPC only once it carries ALLOWED_VPC_TAG", async () => {
    const client = api(testDeps({ ALLOWED_VPC_TAG: "ssm-knock:allowed=true" }));
    const refused = await client.open({ instanceId: world.instanceIds[0] });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain("ssm-knock:allowed=true");
    expect(await look.nothingCreated(world.vpcId)).toEqual(NOTHING);

    await ec2.send(new CreateTagsCommand({ Resources: [world.vpcId], Tags: [{ Key: "ssm-knock:allowed", Value: "false" }] }));
    expect((await client.open({ instanceId: world.instanceIds[0] })).status).toBe(403);
    await ec2.send(new CreateTagsCommand({ Resources: [world.vpcId], Tags: [{ Key: "ssm-knock:allowed", Value: "true" }] }));
    expect((await client.open({ instanceId: world.instanceIds[0] })).status).toBe(202);
  });

  it("still answers 404 for a VPC that does not exist under a tag rule", async () => {
    const client = api(testDeps({ ALLOWED_VPC_TAG: "ssm-knock:allowed" }));
    expect(await client.open({ vpcId: "vpc-0000000000000dead" })).toMatchObject({ status: 404, body: { error: { field: "vpcId" } } });
  });
});

describe("maximum concurrent sessions", () => {
  it("refuses a new session at the limit with 422, but lets a request join an existing one", async () => {
    const client = api(testDeps({ MAX_SESSIONS: "1" }));
    expect((await client.open({ instanceId: world.instanceIds[0] })).status).toBe(202);
    const refused = await client.open({ instanceId: other.instanceIds[0] });
    expect(refused).toMatchObject({ status: 422, body: { error: { code: "session_limit_reached", limit: 1, open: 1 } } });
    expect((await look.liveStacks()).map((s) => s.StackName)).toEqual([`ssm-knock-${world.vpcId}`]);
    expect(await look.endpoints(other.vpcId)).toEqual([]);
    // a join opens nothing new, so the limit does not apply to it
    expect(await client.open({ instanceId: world.instanceIds[1], ttl: "3h" })).toMatchObject({ status: 200 });
  });

  it("frees a slot when a session closes", async () => {
    const client = api(testDeps({ MAX_SESSIONS: "1" }));
    await client.open({ vpcId: world.vpcId });
    expect((await client.close(world.vpcId)).status).toBe(202);
    expect((await client.open({ vpcId: other.vpcId })).status).toBe(202);
  });
});

describe("regions, TTL bounds and the maximum lifetime", () => {
  it("refuses a region that is not enabled with 403 naming the field", async () => {
    const response = await api(testDeps({ ALLOWED_REGIONS: "us-east-1" })).open({ vpcId: world.vpcId, region: "eu-west-1" });
    expect(response).toMatchObject({ status: 403, body: { error: { code: "forbidden", field: "region" } } });
    expect(await look.nothingCreated(world.vpcId)).toEqual(NOTHING);
  });

  it("refuses a TTL outside the configured bounds with 422", async () => {
    const client = api(testDeps({ TTL_MIN: "30m", TTL_MAX: "1h" }));
    for (const ttl of ["15m", "61m", 2]) {
      expect(await client.open({ vpcId: world.vpcId, ttl })).toMatchObject({ status: 422, body: { error: { code: "ttl_out_of_bounds" } } });
    }
    expect(await look.nothingCreated(world.vpcId)).toEqual(NOTHING);
  });

  it("refuses a join or an extension past the maximum lifetime with 422", async () => {
    const deps = testDeps({ MAX_LIFETIME: "3h" });
    const client = api(deps);
    await client.open({ vpcId: world.vpcId, ttl: "2h" });
    deps.clock.advance(2 * 3_600_000);
    const joined = await client.open({ vpcId: world.vpcId, ttl: "2h" });
    expect(joined).toMatchObject({ status: 422, body: { error: { code: "max_lifetime_exceeded", field: "ttl" } } });
    const extended = await client.extend(world.vpcId, { ttl: "90m" });
    expect(extended).toMatchObject({ status: 422, body: { error: { code: "max_lifetime_exceeded" } } });
    const schedule = await look.schedule(`ssm-knock-expire-${world.vpcId}`);
    expect(schedule.ScheduleExpression).toBe("at(2026-11-30T12:00:00)");
  });
});
