import { EC2Client } from "@aws-sdk/client-ec2";
import { describe, expect, inject, it } from "vitest";
import { type DemoWorld, seedWorld } from "../../local/seed.js";
import { api } from "../support/api.js";
import { faultProxyForFile } from "../support/fault-proxy-file.js";
import { manualClock, testDeps } from "../support/harness.js";
import { inspector } from "../support/inspect.js";
import { invariantViolations } from "../support/invariants.js";

// Two rules of the sweeper (README: The sweeper), each shown on moto through the fault proxy:
// 1. timers are listed before stacks, so a session opened while the sweeper reads (stack first,
//    then timer) is never taken for an orphan timer: the proxy opens a session right after the
//    sweeper's first listing is answered by moto and before the sweeper gets that answer;
// 2. it works on at most SWEEP_CONCURRENCY sessions at once: the proxy holds every DeleteStack a
//    while and counts how many are in flight together.

const HOUR = 3_600_000;
const look = inspector();
const proxy = await faultProxyForFile();

const world = (index: number): Promise<DemoWorld> =>
  seedWorld(new EC2Client({ region: "us-east-1" }), { region: "us-east-1", instances: 0, cidr: `10.${120 + index}.0.0/16` });

describe("the sweeper lists timers before stacks", () => {
  it("leaves alone a session opened between its two listings: no timer removed, every invariant holds", async () => {
    const clock = manualClock();
    const opener = api(testDeps({}, clock));
    const existing = await world(0);
    await opener.open({ vpcId: existing.vpcId, ttl: "2h" });
    const fresh = await world(1);

    let openedDuringSweep = 0;
    proxy.hook({
      calls: ["scheduler:ListSchedules", "cloudformation:DescribeStacks"],
      times: 1,
      // moto has answered the sweeper's first listing; before the sweeper reads that answer, a
      // request opens a new session, stack first and then its timer, as openSession does.
      after: async () => {
        openedDuringSweep = (await opener.open({ vpcId: fresh.vpcId, ttl: "3h" })).status;
      },
    });
    process.env.AWS_ENDPOINT_URL = proxy.url;
    const summary = await api(testDeps({}, clock)).sweep();
    process.env.AWS_ENDPOINT_URL = inject("motoEndpoint");

    expect(openedDuringSweep).toBe(202);
    // Seen without its timer (listed before it existed): given one again, never taken for an orphan.
    expect(summary).toMatchObject({ stacksSeen: 2, schedulesRemoved: 0, errors: 0 });
    expect(await invariantViolations(clock())).toEqual([]);
    expect((await look.schedule(`ssm-knock-expire-${fresh.vpcId}`)).ScheduleExpression).toBe("at(2026-11-30T13:00:00)");
  });
});

describe("the sweeper's concurrency bound", () => {
  it.each([1, 3])("has at most SWEEP_CONCURRENCY=%i deletions in flight at once, and uses them all", async (concurrency) => {
    const clock = manualClock();
    const opener = api(testDeps({}, clock));
    for (let index = 0; index < 6; index++) await opener.open({ vpcId: (await world(index)).vpcId, ttl: "1h" });
    clock.advance(HOUR);

    proxy.hook({ calls: ["cloudformation:DeleteStack"], before: () => new Promise((resolve) => setTimeout(resolve, 300)) });
    process.env.AWS_ENDPOINT_URL = proxy.url;
    const summary = await api(testDeps({ SWEEP_CONCURRENCY: String(concurrency) }, clock)).sweep();

    expect(summary).toMatchObject({ stacksSeen: 6, expiredDeleted: 6, errors: 0 });
    expect(proxy.passed.filter((call) => call === "cloudformation:DeleteStack:200")).toHaveLength(6);
    expect(proxy.peak("cloudformation:DeleteStack")).toBe(concurrency);
    process.env.AWS_ENDPOINT_URL = inject("motoEndpoint");
    expect(await look.liveStacks()).toEqual([]);
  });
});
