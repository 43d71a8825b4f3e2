import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { DeleteScheduleCommand } from "@aws-sdk/client-scheduler";
import { afterEach, describe, expect, inject, it } from "vitest";
import { createHandler as readinessHandler } from "../../../functions/readiness.js";
import type { Session } from "../../../lib/core/session.js";
import type { SessionEvent } from "../../../lib/core/session-events.js";
import { parseAtExpression } from "../../../lib/core/time.js";
import { startWatch } from "../../../lib/readiness/watch.js";
import { createInstanceProfile, runInstance } from "../../../local/agent/seed.js";
import { type AgentModelHandle, startAgentModel } from "../../../local/agent/start.js";
import { AGENT_TAGS } from "../../../local/agent/tags.js";
import { attributed, runAs } from "../../../local/aws-call-log.js";
import { seedWorld } from "../../../local/seed.js";
import { api } from "../../support/api.js";
import { lambdaContext } from "../../support/events.js";
import { manualClock, testDeps } from "../../support/harness.js";
import { inspector } from "../../support/inspect.js";

// The readiness watch (lib/readiness/watch.ts) as deployed: one-time watch timers in Scheduler
// (moto), each fired by hand at its own instant on a clock shared with local mode's SSM Agent
// model (local/agent/), the front that answers what moto cannot (DescribeInstanceInformation,
// GetConnectionStatus). Each check runs the real readiness function on the timer's input.
//   - an instance cut off for 6 hours, with restartAgent "if-offline" where the deployment allows
//     it: rebooted once after the grace, then connectable, told once (session.connectable);
//   - an instance without an instance profile: never connectable, watched until the expiry;
//   - a session whose stack is gone: the watch ends; a session with no instance: none is armed.

const look = inspector();
let handle: AgentModelHandle | undefined;
afterEach(async () => {
  await handle?.stop();
  handle = undefined;
  process.env.AWS_ENDPOINT_URL = inject("motoEndpoint");
});

async function setUp(env: Record<string, string> = {}) {
  const direct = new EC2Client({ region: "us-east-1" });
  const world = await seedWorld(direct, { region: "us-east-1", instances: 0 });
  const profile = await createInstanceProfile(new IAMClient({ region: "us-east-1" }), "watch-core");
  const offline = [{ Key: AGENT_TAGS.offlineFor, Value: "6h" }];
  const cutOff = await runInstance(direct, world, { profile, tags: offline });
  const noProfile = await runInstance(direct, world, { tags: offline });
  const clock = manualClock(new Date());
  handle = await startAgentModel({ motoEndpoint: inject("motoEndpoint"), clock });
  // The functions talk to the front, as in local mode.
  process.env.AWS_ENDPOINT_URL = handle.endpoint;
  const events: SessionEvent[] = [];
  const deps = {
    ...testDeps({ ALLOW_REBOOT: "true", ...env }, clock),
    notifier: { notify: async (e: SessionEvent) => void events.push(e) },
  };
  const check = attributed(
    "readiness",
    readinessHandler(() => deps),
  );

  /** Fires the session's pending watch timer at its instant; its outcome, or undefined when none is armed. */
  const fireWatch = async (vpcId: string) => {
    const names = (await look.scheduleNames()).filter((name) => name.startsWith(`ssm-knock-watch-`) && name.endsWith(vpcId));
    if (names.length === 0) return undefined;
    expect(names).toHaveLength(1);
    const timer = await look.schedule(names[0]);
    clock.set(new Date(Math.max(clock().getTime(), parseAtExpression(timer.ScheduleExpression)?.getTime() ?? 0)));
    await (handle as AgentModelHandle).advanceTo(clock());
    // A one-time schedule deletes itself once it has invoked its target (ActionAfterCompletion DELETE).
    await look.scheduler.send(new DeleteScheduleCommand({ Name: names[0], GroupName: "ssm-knock" }));
    return check(JSON.parse(timer.Target?.Input ?? "{}"), lambdaContext) as Promise<string>;
  };
  const watchUntilSettled = async (vpcId: string, rounds = 200) => {
    const outcomes: string[] = [];
    for (let round = 0; round < rounds; round++) {
      const outcome = await fireWatch(vpcId);
      if (outcome === undefined) break;
      outcomes.push(outcome);
      if (outcome !== "watching") break;
    }
    return outcomes;
  };
  const open = async (body: Record<string, unknown>) => {
    const reply = await api(deps).open({ ttl: "2h", ...body });
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    const session = reply.body.session as Session;
    // The notify function starts the watch once the endpoints are available (session.ready).
    await runAs("notify", () => startWatch(deps, { ...session, status: "ready" }));
    return session;
  };
  return { world, cutOff, noProfile, clock, deps, events, check, open, fireWatch, watchUntilSettled };
}

describe("the readiness watch, against moto and the agent model", () => {
  it("reboots a cut-off instance once when asked and allowed, then tells once that it is connectable", async () => {
    const t = await setUp();
    await t.open({ instanceId: t.cutOff, restartAgent: "if-offline" });
    const outcomes = await t.watchUntilSettled(t.world.vpcId);
    expect(outcomes.at(-1)).toBe("connectable");
    expect(outcomes.slice(0, -1).every((o) => o === "watching")).toBe(true);
    const types = t.events.map((e) => e.type);
    expect(types.filter((type) => type === "session.instance_rebooted")).toHaveLength(1);
    expect(types.filter((type) => type === "session.connectable")).toHaveLength(1);
    const rebooted = t.events.find((e) => e.type === "session.instance_rebooted");
    expect(rebooted?.reason).toContain(`${t.cutOff} could not take a session 3m after the endpoints were available`);
    // Told already: the last check, at the expiry, only keeps the record, and arms no other.
    expect(await t.fireWatch(t.world.vpcId)).toBe("connectable");
    expect(await t.fireWatch(t.world.vpcId)).toBeUndefined();
    expect(t.events.filter((e) => e.type === "session.connectable")).toHaveLength(1);
  }, 120_000);

  it("never reboots where the deployment does not allow it, and waits for the agent's own retry", async () => {
    const t = await setUp({ ALLOW_REBOOT: "false" });
    // Asked at open is refused there (403); a watch started for an instance finds no reboot to make.
    await t.open({ instanceId: t.cutOff });
    const outcomes = await t.watchUntilSettled(t.world.vpcId);
    expect(outcomes.at(-1)).toBe("connectable");
    expect(t.events.map((e) => e.type)).not.toContain("session.instance_rebooted");
  }, 120_000);

  it("watches an instance without a profile until the session expires, never calling it connectable", async () => {
    const t = await setUp();
    await t.open({ instanceId: t.noProfile, ttl: "1h" });
    const outcomes = await t.watchUntilSettled(t.world.vpcId);
    expect(outcomes.length).toBeGreaterThan(3);
    expect(outcomes.at(-1)).toBe("ended");
    expect(t.events.map((e) => e.type)).not.toContain("session.connectable");
  }, 120_000);

  it("ends when the session's stack is gone, and arms nothing for a session without instances", async () => {
    const t = await setUp();
    await t.open({ instanceId: t.cutOff });
    const pending = await look.schedule(`ssm-knock-watch-a-${t.world.vpcId}`);
    expect((await api(t.deps).close(t.world.vpcId)).status).toBe(202);
    // Closing removed the timer; a delivery already under way finds no session and ends.
    expect(await look.scheduleNames()).toEqual([]);
    expect(await t.check(JSON.parse(pending.Target?.Input ?? "{}"), lambdaContext)).toBe("ended");
    const other = await seedWorld(new EC2Client({ region: "us-east-1" }), { region: "us-east-1", instances: 0, cidr: "10.91.0.0/16" });
    await t.open({ vpcId: other.vpcId });
    expect(await t.fireWatch(other.vpcId)).toBeUndefined();
  }, 120_000);
});
