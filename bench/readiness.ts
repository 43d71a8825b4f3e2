import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import type { SessionEvent } from "../lib/core/session-events.js";
import { createInstanceProfile, runInstance } from "../local/agent/seed.js";
import { AGENT_TAGS } from "../local/agent/tags.js";
import type { LocalApp } from "../local/app.js";
import { seedWorld } from "../local/seed.js";

/**
 * Issue 14's figure: virtual minutes from an open to `session.connectable`, with and without
 * `restartAgent`, for an instance whose agent lost SSM 10 minutes or 6 hours before, on local
 * mode's virtual clock with the SSM Agent model (the agent's own backoff, seeded jitter). What it
 * measures is the model and the watch's cadence; it proves nothing about AWS's own timings.
 */
export interface ReadinessCase {
  offlineFor: "10m" | "6h";
  restartAgent: boolean;
  /** Open to the agent's first Online after it, and open to session.connectable (virtual minutes). */
  agentOnlineMin: number | null;
  connectableMin: number | null;
  rebooted: boolean;
}

const MINUTE = 60_000;
const HORIZON_MINUTES = 120;

export async function measureReadiness(app: LocalApp, events: SessionEvent[], region: string): Promise<ReadinessCase[]> {
  const ec2 = new EC2Client({ region });
  const iam = new IAMClient({ region });
  const profile = await createInstanceProfile(iam, "ssm-knock-bench-agent");
  const cases: ReadinessCase[] = [];
  let index = 0;
  for (const offlineFor of ["10m", "6h"] as const) {
    for (const restartAgent of [false, true]) {
      const world = await seedWorld(ec2, { region, instances: 0, cidr: `10.${90 + index++}.0.0/16` });
      const instanceId = await runInstance(ec2, world, { profile, tags: [{ Key: AGENT_TAGS.offlineFor, Value: offlineFor }] });
      const openedAt = app.clock.now();
      const opened = await fetch(`${app.url}/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-ssm-knock-user": "bench" },
        body: JSON.stringify({ instanceId, ttl: "4h", ...(restartAgent ? { restartAgent: "if-offline" } : {}) }),
      });
      if (opened.status !== 202) throw new Error(`open answered ${opened.status}: ${await opened.text()}`);
      const report = await app.advance(HORIZON_MINUTES);
      const online = report.agents.find((a) => a.instanceId === instanceId && a.event === "online");
      const connectable = events.find((e) => e.type === "session.connectable" && e.session.id === world.vpcId);
      const minutes = (at: string | undefined) => (at ? Math.round(((Date.parse(at) - openedAt.getTime()) / MINUTE) * 10) / 10 : null);
      cases.push({
        offlineFor,
        restartAgent,
        agentOnlineMin: minutes(online?.at),
        connectableMin: minutes(connectable?.at),
        rebooted: events.some((e) => e.type === "session.instance_rebooted" && e.session.id === world.vpcId),
      });
      await fetch(`${app.url}/sessions/${world.vpcId}`, { method: "DELETE", headers: { "x-ssm-knock-user": "bench" } });
    }
  }
  return cases;
}
