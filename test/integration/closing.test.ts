import { DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { EC2Client } from "@aws-sdk/client-ec2";
import { beforeEach, describe, expect, it } from "vitest";
import { type DemoWorld, seedWorld } from "../../local/seed.js";
import { api } from "../support/api.js";
import { faultProxyForFile } from "../support/fault-proxy-file.js";
import { testDeps } from "../support/harness.js";
import { inspector } from "../support/inspect.js";
import { reportStackStatus } from "../support/throttle-proxy.js";

// A session whose stack is being deleted. moto deletes a stack at once, so it never shows
// DELETE_IN_PROGRESS (the minutes Interface endpoints take in AWS); the fault proxy reports that
// status for the session's stack, as CloudFormation would, and the real handlers read it.
// README: extend answers 409 session_closing; a join answers 409 session_closing; closing a
// session that is already closing is accepted (202) and deletes nothing twice.

const look = inspector();
const proxy = await faultProxyForFile();
let world: DemoWorld;

beforeEach(async () => {
  world = await seedWorld(new EC2Client({ region: "us-east-1" }), { region: "us-east-1" });
});

const stackName = () => `ssm-knock-${world.vpcId}`;
const recordedExpiry = async () => {
  const { Stacks } = await look.cloudFormation.send(new DescribeStacksCommand({ StackName: stackName() }));
  return Stacks?.[0]?.Parameters?.find((p) => p.ParameterKey === "ExpiresAt")?.ParameterValue;
};

/** Opens a session in moto, then shows its stack to the handlers as CloudFormation would while deleting it. */
async function closingSession(status = "DELETE_IN_PROGRESS") {
  const deps = testDeps();
  const opened = await api(deps).open({ instanceId: world.instanceIds[0], ttl: "2h" });
  expect(opened.status, JSON.stringify(opened.body)).toBe(202);
  reportStackStatus(proxy, stackName(), status);
  process.env.AWS_ENDPOINT_URL = proxy.url;
  // A fresh function instance: its clients are made (and read AWS_ENDPOINT_URL) from here on.
  return { deps, client: api(testDeps({}, deps.clock)) };
}

describe("a session that is closing", () => {
  it("refuses an extension with 409 session_closing, and moves neither the stack's record nor its timer", async () => {
    const { client } = await closingSession();
    const refused = await client.extend(world.vpcId, { ttl: "6h" });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: "session_closing" } } });
    expect(refused.body.error.message).toContain("closing (DELETE_IN_PROGRESS)");
    expect(proxy.passed.filter((call) => /UpdateStack|UpdateSchedule|CreateSchedule/.test(call))).toEqual([]);
    expect(await recordedExpiry()).toBe("2026-11-30T12:00:00Z");
    expect((await look.schedule(`ssm-knock-expire-${world.vpcId}`)).ScheduleExpression).toBe("at(2026-11-30T12:00:00)");
  });

  it("refuses a join with 409 session_closing: retry once the old stack is gone", async () => {
    const { client } = await closingSession();
    const refused = await client.open({ instanceId: world.instanceIds[1], ttl: "3h" }, "arn:aws:iam::123456789012:user/bob");
    expect(refused).toMatchObject({ status: 409, body: { error: { code: "session_closing" } } });
    expect(refused.body.error.message).toContain("Try again in a few minutes");
    expect(proxy.passed.filter((call) => /CreateStack|UpdateStack|Schedule:/.test(call) && !/ListSchedules/.test(call))).toEqual([]);
    expect((await look.liveStacks()).map((s) => s.StackName)).toEqual([stackName()]);
  });

  it("accepts closing it again with 202 closing, sends no second DeleteStack, and removes its timers", async () => {
    const { client } = await closingSession();
    const closed = await client.close(world.vpcId);
    expect(closed).toMatchObject({ status: 202, body: { session: { id: world.vpcId, status: "closing" } } });
    expect(proxy.passed.filter((call) => call.includes("DeleteStack"))).toEqual([]);
    expect(proxy.passed).toContain("scheduler:DeleteSchedule:200");
    expect(await look.scheduleNames()).toEqual([]);
  });

  it("treats a failed session like a closing one: no extension, no join, the sweeper's to remove", async () => {
    const { client } = await closingSession("ROLLBACK_COMPLETE");
    expect(await client.extend(world.vpcId, { ttl: "6h" })).toMatchObject({ status: 409, body: { error: { code: "session_closing" } } });
    expect(await client.open({ vpcId: world.vpcId })).toMatchObject({ status: 409, body: { error: { code: "session_closing" } } });
    expect(await recordedExpiry()).toBe("2026-11-30T12:00:00Z");
  });
});

describe("a VPC opened again after its session closed", () => {
  it("shows only the new stack's endpoints, not those the closed stack left (deleted in AWS, kept by moto)", async () => {
    const client = api(testDeps());
    await client.open({ instanceId: world.instanceIds[0] });
    expect((await client.close(world.vpcId)).status).toBe(202);
    await client.open({ instanceId: world.instanceIds[0] });
    // Both stacks' endpoints carry the same stack name; only the stack id tells them apart.
    expect(await look.endpoints(world.vpcId)).toHaveLength(6);
    const { body } = await client.get(world.vpcId);
    const { Stacks } = await look.cloudFormation.send(new DescribeStacksCommand({ StackName: stackName() }));
    const current = (await look.endpoints(world.vpcId))
      .filter((e) => e.Tags?.some((t) => t.Key === "aws:cloudformation:stack-id" && t.Value === Stacks?.[0]?.StackId))
      .map((e) => e.VpcEndpointId)
      .sort();
    expect(current).toHaveLength(3);
    expect(body.session.endpoints.map((e: { id: string }) => e.id).sort()).toEqual(current);
  });
});

describe("closing twice in moto", () => {
  it("closes once (202), then answers 404: the session is gone", async () => {
    const client = api(testDeps());
    await client.open({ instanceId: world.instanceIds[0] });
    expect((await client.close(world.vpcId)).status).toBe(202);
    expect(await client.close(world.vpcId)).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
  });
});
