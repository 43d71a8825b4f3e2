import { drawRetryWait, MAX_RETRY_COUNT, seededRandom } from "../../lib/readiness/backoff.js";
import type { AgentProfile } from "./tags.js";

// The SSM Agent of each emulator instance, on the virtual clock: it retries on the schedule of
// lib/readiness/backoff.ts (taken from the agent's source) with seeded jitter, registers when an
// attempt finds both a path and a role, pings every 5 minutes while Online, and restarts (an
// immediate attempt) when the instance reboots. No AWS here: the world is handed in.

/** What the model knows of one instance at an instant, from local/agent/world.ts. */
export interface ObservedInstance {
  instanceId: string;
  region: string;
  running: boolean;
  launchedAt?: Date;
  privateIp?: string;
  tags: Record<string, string>;
  agent: AgentProfile;
  /** Every network check passes (endpoints, groups, ACLs, routes, DNS). */
  reachable: boolean;
  /** The instance profile's role (or DHMC) allows the agent's calls. */
  permitted: boolean;
}

export interface AgentEvent {
  instanceId: string;
  event: "online" | "connection_lost";
  at: Date;
}

/** What SSM knows of an instance: `registered` false means DescribeInstanceInformation omits it. */
export interface AgentView {
  instance: ObservedInstance;
  registered: boolean;
  online: boolean;
  lastPingAt?: Date;
}

/** The agent's health ping while Online (agent/health/healthcheck.go: every 5 minutes). */
const PING_MS = 5 * 60_000;
/** A restarted agent's first attempt comes this long after the reboot (boot time), seeded. */
const BOOT_MS = { min: 20_000, max: 50_000 };

interface Agent {
  instance: ObservedInstance;
  registered: boolean;
  online: boolean;
  running: boolean;
  lastPingAt?: number;
  /** The next attempt (connecting) or health ping (Online). */
  nextAt?: number;
  /** Restarted and not yet through its first attempt (SSM still shows it as it was). */
  booting: boolean;
  retryCount: number;
  boots: number;
  random: () => number;
}

export class AgentModel {
  private readonly agents = new Map<string, Agent>();
  private now: number;
  private observed = false;

  constructor(
    private readonly seed: string,
    startedAt: Date,
  ) {
    this.now = startedAt.getTime();
  }

  /** The world as it is from `at` on (the model must already have been advanced to `at`). */
  observe(world: ObservedInstance[], at: Date): AgentEvent[] {
    const events: AgentEvent[] = [];
    const time = Math.max(at.getTime(), this.now);
    const initial = !this.observed;
    this.observed = true;
    for (const instance of world) {
      const agent = this.agents.get(instance.instanceId);
      if (!agent) {
        // A tagged past applies whenever the instance is first seen; otherwise only at start.
        const known = initial || instance.agent.offlineForMs !== undefined;
        this.agents.set(instance.instanceId, known ? this.past(instance, time) : this.launched(instance, time));
        continue;
      }
      agent.instance = instance;
      if (agent.running && !instance.running) {
        agent.running = false;
        agent.nextAt = undefined;
        if (agent.online) events.push(this.lose(agent, time, false));
      } else if (!agent.running && instance.running) {
        agent.running = true;
        this.boot(agent, time);
      }
    }
    for (const [id, agent] of this.agents) {
      if (world.some((i) => i.instanceId === id)) continue;
      if (agent.online) events.push(this.lose(agent, time, false));
      this.agents.delete(id);
    }
    return events;
  }

  /** RebootInstances: the agent stops and starts again; its first attempt comes within a minute. */
  reboot(instanceIds: string[], at: Date): void {
    for (const id of instanceIds) {
      const agent = this.agents.get(id);
      if (agent?.running && agent.instance.agent.version) this.boot(agent, Math.max(at.getTime(), this.now));
    }
  }

  /** Runs every attempt and ping due up to `date`, in time order. */
  advanceTo(date: Date): AgentEvent[] {
    const target = date.getTime();
    const events: AgentEvent[] = [];
    for (;;) {
      const due = [...this.agents.values()]
        .filter((a) => a.nextAt !== undefined && a.nextAt <= target)
        .sort((a, b) => (a.nextAt as number) - (b.nextAt as number) || a.instance.instanceId.localeCompare(b.instance.instanceId))[0];
      if (!due) break;
      this.now = Math.max(this.now, due.nextAt as number);
      const event = due.online && !due.booting ? this.ping(due) : this.attempt(due);
      if (event) events.push(event);
    }
    this.now = Math.max(this.now, target);
    return events;
  }

  views(): AgentView[] {
    return [...this.agents.values()].map((a) => ({
      instance: a.instance,
      registered: a.registered,
      online: a.online,
      lastPingAt: a.lastPingAt === undefined ? undefined : new Date(a.lastPingAt),
    }));
  }

  /** Whose jitter an instance's agent draws: its Name tag where it has one, so that a run does
   * not depend on the instance ids moto draws (the same seed and requests give the same run). */
  private jitterOf(instance: ObservedInstance, boots: number): () => number {
    return seededRandom(`${this.seed}/${instance.tags.Name || instance.instanceId}/${boots}`);
  }

  private fresh(instance: ObservedInstance): Agent {
    const random = this.jitterOf(instance, 0);
    return { instance, registered: false, online: false, running: instance.running, booting: false, retryCount: 0, boots: 0, random };
  }

  /** An instance there when local mode started: its tags tell its past, replayed up to now. */
  private past(instance: ObservedInstance, time: number): Agent {
    const agent = this.fresh(instance);
    if (!instance.agent.version || !instance.running) return agent;
    const offlineFor = instance.agent.offlineForMs;
    // Failing since it lost SSM (tagged: SSM knows it as ConnectionLost), or since its launch.
    let attemptAt = offlineFor === undefined ? Math.min(instance.launchedAt?.getTime() ?? time, time) : time - offlineFor;
    if (offlineFor !== undefined) Object.assign(agent, { registered: true, lastPingAt: attemptAt });
    while (attemptAt < time) attemptAt += this.wait(agent, "unreachable");
    agent.nextAt = attemptAt;
    return agent;
  }

  /** An instance launched while local mode runs: its agent starts as it boots. */
  private launched(instance: ObservedInstance, time: number): Agent {
    const agent = this.fresh(instance);
    if (instance.running) this.boot(agent, time);
    return agent;
  }

  private boot(agent: Agent, time: number): void {
    if (!agent.instance.agent.version) return;
    agent.boots += 1;
    agent.random = this.jitterOf(agent.instance, agent.boots);
    agent.retryCount = 0;
    agent.booting = true;
    agent.nextAt = time + BOOT_MS.min + Math.floor(agent.random() * (BOOT_MS.max - BOOT_MS.min));
  }

  private wait(agent: Agent, failure: "unreachable" | "denied"): number {
    const ms = drawRetryWait(agent.retryCount, failure, agent.random);
    agent.retryCount = Math.min(agent.retryCount + 1, MAX_RETRY_COUNT);
    return ms;
  }

  private attempt(agent: Agent): AgentEvent | undefined {
    const time = agent.nextAt as number;
    const { reachable, permitted } = agent.instance;
    agent.booting = false;
    if (reachable && permitted) {
      const wasOnline = agent.online;
      Object.assign(agent, { registered: true, online: true, lastPingAt: time, nextAt: time + PING_MS, retryCount: 0 });
      return wasOnline ? undefined : { instanceId: agent.instance.instanceId, event: "online", at: new Date(time) };
    }
    if (agent.online) return this.lose(agent, time, true);
    agent.nextAt = time + this.wait(agent, reachable ? "denied" : "unreachable");
    return undefined;
  }

  private ping(agent: Agent): AgentEvent | undefined {
    const time = agent.nextAt as number;
    if (agent.instance.reachable && agent.instance.permitted) {
      agent.lastPingAt = time;
      agent.nextAt = time + PING_MS;
      return undefined;
    }
    return this.lose(agent, time, true);
  }

  /** SSM stops hearing from the agent; if it still runs, it starts retrying from this failure. */
  private lose(agent: Agent, time: number, retrying: boolean): AgentEvent {
    agent.online = false;
    agent.retryCount = 0;
    agent.nextAt = retrying ? time + this.wait(agent, agent.instance.reachable ? "denied" : "unreachable") : undefined;
    return { instanceId: agent.instance.instanceId, event: "connection_lost", at: new Date(time) };
  }
}
