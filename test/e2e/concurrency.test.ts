import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { EC2Client } from "@aws-sdk/client-ec2";
import { GetScheduleCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { atExpression } from "../../lib/core/time.js";
import { type DemoWorld, seedWorld } from "../../local/seed.js";
import { call, type LocalProcess, startLocalProcess } from "../support/local-process.js";

// Fifty people click "open" at once for ten VPCs. Local mode runs as its own process and is
// driven over HTTP only; moto is read directly for the outcome.
const VPCS = 10;
const PER_VPC = 5;
const TTL_HOURS = [1, 2, 3, 4, 5];

let local: LocalProcess;
let cloudFormation: CloudFormationClient;
let scheduler: SchedulerClient;
const worlds: DemoWorld[] = [];

beforeAll(async () => {
  local = await startLocalProcess();
  const options = { region: "us-east-1", endpoint: local.emulator, credentials: { accessKeyId: "e2e", secretAccessKey: "e2e" } };
  cloudFormation = new CloudFormationClient(options);
  scheduler = new SchedulerClient(options);
  const ec2 = new EC2Client(options);
  for (let i = 0; i < VPCS; i++) worlds.push(await seedWorld(ec2, { region: "us-east-1", cidr: `10.${100 + i}.0.0/16` }));
});

afterAll(async () => {
  await local?.stop();
});

/** Each VPC gets one request per TTL, by instance or by VPC id, from different people, in a shuffled order. */
function requests() {
  const all = worlds.flatMap((world, v) =>
    TTL_HOURS.slice(0, PER_VPC).map((hours, r) => ({
      vpcId: world.vpcId,
      user: `user-${v}-${r}`,
      body: r % 2 === 0 ? { instanceId: world.instanceIds[(r / 2) % 2], ttl: `${hours}h` } : { vpcId: world.vpcId, ttl: hours },
    })),
  );
  // A fixed permutation, so a failure reproduces: interleave VPCs and TTL orders.
  return all.map((_, i) => all[(i * 17) % all.length]);
}

describe("concurrent opens in local mode", () => {
  it("50 opens for 10 VPCs make exactly 10 stacks, all answered 2xx, each expiring at the latest requested", async () => {
    const before = new Date((await call(local.url, "GET", "/local/clock")).body.now);
    const batch = requests();
    const replies = await Promise.all(
      batch.map(async (r) => ({ ...r, reply: await call(local.url, "POST", "/sessions", r.body, r.user) })),
    );
    const after = new Date((await call(local.url, "GET", "/local/clock")).body.now);

    const failures = replies.filter((r) => r.reply.status < 200 || r.reply.status > 299);
    expect(failures.map((r) => `${r.user}: ${r.reply.status} ${JSON.stringify(r.reply.body)}`)).toEqual([]);
    // one creation per VPC; every other request joined it
    for (const world of worlds) {
      const statuses = replies.filter((r) => r.vpcId === world.vpcId).map((r) => r.reply.status);
      expect(
        statuses.filter((s) => s === 202),
        world.vpcId,
      ).toHaveLength(1);
      expect(
        statuses.filter((s) => s === 200),
        world.vpcId,
      ).toHaveLength(PER_VPC - 1);
    }

    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({}));
    const live = (Stacks ?? []).filter((s) => s.StackStatus !== "DELETE_COMPLETE");
    expect(live.map((s) => s.StackName).sort()).toEqual(worlds.map((w) => `ssm-knock-${w.vpcId}`).sort());

    const longest = Math.max(...TTL_HOURS) * 3_600_000;
    for (const world of worlds) {
      // The latest expiry any request for this VPC was granted is the one the session must keep.
      const granted = replies.filter((r) => r.vpcId === world.vpcId).map((r) => Date.parse(r.reply.body.session.expiresAt));
      const latest = new Date(Math.max(...granted));
      expect(latest.getTime()).toBeGreaterThanOrEqual(before.getTime() + longest);
      expect(latest.getTime()).toBeLessThanOrEqual(after.getTime() + longest + 60_000);

      const stack = live.find((s) => s.StackName === `ssm-knock-${world.vpcId}`);
      const expiresAt = stack?.Parameters?.find((p) => p.ParameterKey === "ExpiresAt")?.ParameterValue;
      expect(expiresAt && new Date(expiresAt).toISOString(), world.vpcId).toBe(latest.toISOString());
      const schedule = await scheduler.send(new GetScheduleCommand({ Name: `ssm-knock-expire-${world.vpcId}`, GroupName: "ssm-knock" }));
      expect(schedule.ScheduleExpression, world.vpcId).toBe(atExpression(latest));

      const shown = await call(local.url, "GET", `/sessions/${world.vpcId}`);
      expect(shown.body.session.requesters.sort(), world.vpcId).toEqual(
        replies
          .filter((r) => r.vpcId === world.vpcId)
          .map((r) => r.user)
          .sort(),
      );
    }
  });
});
