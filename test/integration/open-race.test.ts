import { DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { EC2Client } from "@aws-sdk/client-ec2";
import { beforeEach, describe, expect, it } from "vitest";
import { type DemoWorld, seedWorld } from "../../local/seed.js";
import { api } from "../support/api.js";
import { faultProxyForFile } from "../support/fault-proxy-file.js";
import { testDeps } from "../support/harness.js";
import { inspector } from "../support/inspect.js";
import { gate } from "../support/throttle-proxy.js";

// Two Lambda instances open the same VPC at the same moment. Each has its own lock (a KeyedLock
// serialises only within one process), so both find no stack and both send CreateStack and
// CreateSchedule. The fault proxy holds the first instance's two writes until the second has
// opened the session, then lets its timer write land (overwriting the winner's expiry) before
// its CreateStack meets CloudFormation's AlreadyExistsException. README: the loser answers 409
// and the timer is put back to the expiry the winner's stack records.

const look = inspector();
const proxy = await faultProxyForFile();
let world: DemoWorld;

beforeEach(async () => {
  world = await seedWorld(new EC2Client({ region: "us-east-1" }), { region: "us-east-1" });
  process.env.AWS_ENDPOINT_URL = proxy.url;
});

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; passed: ${proxy.passed.join(", ")}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const timerExpression = async () => (await look.schedule(`ssm-knock-expire-${world.vpcId}`)).ScheduleExpression;

describe("two Lambda instances open one VPC at once", () => {
  it("one creates the session (202); the other answers 409 conflict and puts the timer back to the stack's expiry", async () => {
    const stackWrite = gate();
    const timerWrite = gate();
    proxy.hook({ calls: ["cloudformation:CreateStack"], times: 1, before: stackWrite.hold });
    proxy.hook({ calls: ["scheduler:CreateSchedule"], times: 1, before: timerWrite.hold });
    const first = api(testDeps());
    const second = api(testDeps());

    const firstReply = first.open({ instanceId: world.instanceIds[0], ttl: "2h" });
    await until(() => stackWrite.waiting === 1 && timerWrite.waiting === 1, "the first instance's two writes");
    const secondReply = await second.open({ vpcId: world.vpcId, ttl: "5h" }, "arn:aws:iam::123456789012:user/bob");
    expect(secondReply).toMatchObject({ status: 202, body: { session: { expiresAt: "2026-11-30T15:00:00Z" } } });

    // The first instance's timer lands on the session's name: its CreateSchedule conflicts, it updates.
    timerWrite.open();
    await until(() => proxy.passed.includes("scheduler:UpdateSchedule:200"), "the first instance's timer update");
    expect(await timerExpression()).toBe("at(2026-11-30T12:00:00)");

    stackWrite.open();
    const refused = await firstReply;
    expect(refused).toMatchObject({ status: 409, body: { error: { code: "conflict" } } });
    expect(refused.body.error.message).toContain("opened at the same moment");
    expect(proxy.passed).toContain("cloudformation:CreateStack:400");

    const { Stacks } = await look.cloudFormation.send(new DescribeStacksCommand({ StackName: `ssm-knock-${world.vpcId}` }));
    expect(Stacks?.[0]?.Parameters?.find((p) => p.ParameterKey === "ExpiresAt")?.ParameterValue).toBe("2026-11-30T15:00:00Z");
    expect(await timerExpression()).toBe("at(2026-11-30T15:00:00)");
    expect(await look.scheduleNames()).toEqual([`ssm-knock-expire-${world.vpcId}`]);
    expect((await look.liveStacks()).map((s) => s.StackName)).toEqual([`ssm-knock-${world.vpcId}`]);
  });

  it("the request sent again joins the session the other instance opened", async () => {
    const first = api(testDeps());
    const second = api(testDeps());
    expect((await second.open({ vpcId: world.vpcId, ttl: "5h" })).status).toBe(202);
    const retried = await first.open({ instanceId: world.instanceIds[0], ttl: "2h" });
    expect(retried).toMatchObject({ status: 200, body: { session: { expiresAt: "2026-11-30T15:00:00Z" } } });
    expect(await timerExpression()).toBe("at(2026-11-30T15:00:00)");
  });
});
