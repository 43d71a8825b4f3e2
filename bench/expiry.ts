import { EC2Client } from "@aws-sdk/client-ec2";
import { UpdateScheduleCommand } from "@aws-sdk/client-scheduler";
import { getTimer } from "../lib/aws/schedules.js";
import type { LocalApp } from "../local/app.js";
import { seedWorld } from "../local/seed.js";
import type { CallRecorder } from "./recorder.js";
import { median } from "./stats.js";

export interface OverrunFigures {
  case: "schedule fires" | "sweeper only";
  sessions: number;
  /** Seconds from expiresAt to the DeleteStack call, on local mode's virtual clock. */
  medianS: number;
  maxS: number;
}

// A Lambda that does not exist: the schedule fires, its delivery fails, so only the sweeper is left.
const UNREACHABLE = "arn:aws:lambda:us-east-1:123456789012:function:ssm-knock-bench-unreachable";

/**
 * Opens sessions through local mode with TTLs a minute apart (so their expiries fall at every
 * phase of the sweeper's interval), moves the virtual clock past them, and reads when each
 * stack's DeleteStack started. In the second case every timer's delivery is made to fail, as
 * when a schedule is lost or its target is down, so the sweeper alone deletes.
 */
export async function measureOverrun(
  app: LocalApp,
  recorder: CallRecorder,
  options: { region: string; sessions: number; breakTimers: boolean },
): Promise<OverrunFigures> {
  const ec2 = new EC2Client({ region: options.region });
  const expiries = new Map<string, number>();
  for (let index = 0; index < options.sessions; index++) {
    const world = await seedWorld(ec2, { region: options.region, instances: 0 });
    const response = await fetch(`${app.url}/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-ssm-knock-user": "bench" },
      body: JSON.stringify({ vpcId: world.vpcId, ttl: `${15 + index}m` }),
    });
    const body = (await response.json()) as { session?: { stackName: string; expiresAt: string } };
    if (response.status !== 202 || !body.session) throw new Error(`open failed: HTTP ${response.status} ${JSON.stringify(body)}`);
    expiries.set(body.session.stackName, Date.parse(body.session.expiresAt));
    if (options.breakTimers) {
      const scheduler = app.deps.clients(app.deps.config.region).scheduler;
      const timer = await getTimer(scheduler, app.deps.config, "expire", world.vpcId);
      if (!timer?.Target) throw new Error(`no timer for ${world.vpcId}`);
      await scheduler.send(
        new UpdateScheduleCommand({
          ...(timer as unknown as ConstructorParameters<typeof UpdateScheduleCommand>[0]),
          Target: { ...timer.Target, Arn: UNREACHABLE },
        }),
      );
    }
  }
  const from = recorder.calls.length;
  await app.advance(15 + options.sessions + 30);
  const deletes = recorder.calls.slice(from).filter((call) => call.command === "DeleteStack");
  const overruns: number[] = [];
  for (const [stackName, expiresAt] of expiries) {
    const deleted = deletes.find((call) => call.input.StackName === stackName);
    if (!deleted) throw new Error(`${stackName} was never deleted`);
    overruns.push((deleted.at - expiresAt) / 1000);
  }
  return {
    case: options.breakTimers ? "sweeper only" : "schedule fires",
    sessions: overruns.length,
    medianS: median(overruns),
    maxS: Math.max(...overruns),
  };
}
