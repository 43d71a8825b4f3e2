import { EC2Client } from "@aws-sdk/client-ec2";
import { beforeEach, describe, expect, it } from "vitest";
import type { ClientsForRegion } from "../../lib/aws/clients.js";
import { type DemoWorld, seedWorld } from "../../local/seed.js";
import { api } from "../support/api.js";
import { manualClock, testDeps } from "../support/harness.js";
import { inspector } from "../support/inspect.js";
import { invariantViolations } from "../support/invariants.js";

// The open Lambda dies between any two of its steps (describe instance -> gather VPC facts ->
// CreateStack and CreateSchedule, sent together in one round): from the crash on, none of its AWS
// calls happen, not even the undo. A healthy sweeper must then restore the invariants, now and
// after the expiry.

const HOUR = 3_600_000;
const look = inspector();
let world: DemoWorld;

beforeEach(async () => {
  world = await seedWorld(new EC2Client({ region: "us-east-1" }), { region: "us-east-1", instances: 1 });
});

/** The process is gone: this and every later AWS call of the crashed invocation fails. */
class SimulatedCrashError extends Error {}

interface CrashPoint {
  command: string;
  when: "before" | "after";
}

/** Wraps each client's `send` so the invocation crashes just before or just after one command. */
function crashing(clients: ClientsForRegion, at: CrashPoint): ClientsForRegion {
  let crashed = false;
  return (region) => {
    const set = clients(region);
    for (const client of [set.ec2, set.cloudFormation, set.scheduler, set.ssm]) {
      if ((client as { crashWrapped?: boolean }).crashWrapped) continue;
      const send = client.send.bind(client) as (command: object) => Promise<unknown>;
      Object.assign(client, {
        crashWrapped: true,
        send: async (command: object) => {
          const name = command.constructor.name;
          if (crashed || (name === at.command && at.when === "before")) {
            crashed = true;
            throw new SimulatedCrashError(`crashed before ${name}`);
          }
          const output = await send(command);
          if (name === at.command && at.when === "after") {
            crashed = true;
            throw new SimulatedCrashError(`crashed after ${name}`);
          }
          return output;
        },
      });
    }
    return set;
  };
}

const POINTS: (CrashPoint & { leaves: "nothing" | "stack" | "session" })[] = [
  { command: "DescribeInstancesCommand", when: "before", leaves: "nothing" },
  { command: "DescribeInstancesCommand", when: "after", leaves: "nothing" },
  { command: "DescribeVpcsCommand", when: "after", leaves: "nothing" },
  { command: "CreateStackCommand", when: "before", leaves: "nothing" },
  // CreateSchedule went out beside CreateStack, before the crash
  { command: "CreateStackCommand", when: "after", leaves: "session" },
  { command: "CreateScheduleCommand", when: "before", leaves: "stack" },
  { command: "CreateScheduleCommand", when: "after", leaves: "session" },
];

describe("a crash between any two steps of open", () => {
  it.each(POINTS.map((p) => [`${p.when} ${p.command.replace(/Command$/, "")}`, p] as const))(
    "crash %s: the sweeper restores the invariants",
    async (_name, point) => {
      const clock = manualClock();
      const healthy = testDeps({}, clock);
      const doomed = { ...healthy, clients: crashing(healthy.clients, point) };
      // A fresh set of clients for the survivor: the crashed one's are wrapped.
      const survivor = testDeps({}, clock);

      const reply = await api(doomed).open({ instanceId: world.instanceIds[0], ttl: "1h" });
      expect(reply.status).toBeGreaterThanOrEqual(500);

      const stacks = (await look.liveStacks()).map((s) => s.StackName);
      const schedules = await look.scheduleNames();
      expect(stacks).toEqual(point.leaves === "nothing" ? [] : [`ssm-knock-${world.vpcId}`]);
      expect(schedules).toEqual(point.leaves === "session" ? [`ssm-knock-expire-${world.vpcId}`] : []);

      const sweeper = api(survivor);
      expect(await sweeper.sweep()).toMatchObject({ errors: 0 });
      expect(await invariantViolations(clock())).toEqual([]);
      clock.advance(HOUR);
      expect(await sweeper.sweep()).toMatchObject({ errors: 0 });
      expect(await invariantViolations(clock())).toEqual([]);
      expect(await look.liveStacks()).toEqual([]);
    },
  );
});
