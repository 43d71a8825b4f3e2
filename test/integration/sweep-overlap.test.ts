import { EC2Client } from "@aws-sdk/client-ec2";
import { DeleteScheduleCommand } from "@aws-sdk/client-scheduler";
import { beforeEach, describe, expect, it } from "vitest";
import type { SessionEvent } from "../../lib/core/session-events.js";
import { type DemoWorld, seedWorld } from "../../local/seed.js";
import { api } from "../support/api.js";
import { manualClock, testDeps } from "../support/harness.js";
import { inspector } from "../support/inspect.js";
import { invariantViolations } from "../support/invariants.js";
import { armOrphanTimer } from "../support/orphan-timer.js";

// The sweeper has no reserved concurrency (docs/decisions.md: "Sweeper runs may overlap"). Two
// runs at once, as two Lambda instances with nothing shared but AWS, must leave what one run
// leaves, with no errors; the only visible trace is a second session.closed for a stack both
// runs found expired.

const look = inspector();
const HOUR = 3_600_000;
let expired: DemoWorld;
let untimed: DemoWorld;

beforeEach(async () => {
  const ec2 = new EC2Client({ region: "us-east-1" });
  expired = await seedWorld(ec2, { region: "us-east-1", instances: 1 });
  untimed = await seedWorld(ec2, { region: "us-east-1", cidr: "10.70.0.0/16", instances: 1 });
});

describe("two sweeper runs at the same time", () => {
  it("delete the expired stack, re-create the lost timer once, remove the orphan timer, and fail nowhere", async () => {
    const clock = manualClock();
    const setup = testDeps({}, clock);
    const opener = api(setup);
    await opener.open({ instanceId: expired.instanceIds[0], ttl: "1h" });
    await opener.open({ instanceId: untimed.instanceIds[0], ttl: "4h" });
    await look.scheduler.send(new DeleteScheduleCommand({ Name: `ssm-knock-expire-${untimed.vpcId}`, GroupName: "ssm-knock" }));
    await armOrphanTimer(setup.config, new Date("2026-11-30T12:00:00Z"));
    clock.advance(HOUR + 60_000);

    // Two Lambda instances: their own clients, locks and notifiers; one clock, one AWS.
    const announced: SessionEvent[] = [];
    const instance = () => {
      const deps = testDeps({}, clock);
      deps.notifier = { notify: async (event) => void announced.push(event) };
      return api(deps);
    };
    const [first, second] = await Promise.all([instance().sweep(), instance().sweep()]);

    expect([first.errors, second.errors]).toEqual([0, 0]);
    expect(first.expiredDeleted + second.expiredDeleted).toBeGreaterThanOrEqual(1);
    expect(first.schedulesRecreated + second.schedulesRecreated).toBeGreaterThanOrEqual(1);
    expect((await look.liveStacks()).map((s) => s.StackName)).toEqual([`ssm-knock-${untimed.vpcId}`]);
    // one timer, whichever run made it (the second CreateSchedule conflicts and updates it)
    expect(await look.scheduleNames()).toEqual([`ssm-knock-expire-${untimed.vpcId}`]);
    expect((await look.schedule(`ssm-knock-expire-${untimed.vpcId}`)).ScheduleExpression).toBe("at(2026-11-30T14:00:00)");
    expect(await invariantViolations(clock())).toEqual([]);
    // at most one announcement per run, and only for the expired session
    const closed = announced.filter((e) => e.type === "session.closed");
    expect(closed.length).toBeGreaterThanOrEqual(1);
    expect(closed.length).toBeLessThanOrEqual(2);
    expect(new Set(closed.map((e) => e.session.id))).toEqual(new Set([expired.vpcId]));

    // and a third run afterwards finds nothing left to do
    expect(await instance().sweep()).toMatchObject({ expiredDeleted: 0, schedulesRecreated: 0, schedulesRemoved: 0, errors: 0 });
  });
});
