import { isoSeconds } from "../lib/core/time.js";
import { KeyedLock } from "../lib/runtime/lock.js";
import type { SweepSummary } from "../lib/sweep/sweep.js";
import type { AgentEvent } from "./agent/model.js";
import { runAs } from "./aws-call-log.js";
import type { VirtualClock } from "./clock.js";
import type { Fired, LocalScheduler } from "./scheduler.js";
import type { StackWatcher } from "./watcher.js";

export interface AdvanceReport {
  from: string;
  to: string;
  fired: Fired[];
  /** When each instance's modelled agent came Online or lost its connection (local/agent/). */
  agents: { instanceId: string; event: AgentEvent["event"]; at: string }[];
  /** How many times the sweeper ran, and the runs that did something. */
  sweepRuns: number;
  sweeps: (SweepSummary & { at: string })[];
}

const actedOn = (s: SweepSummary) =>
  s.expiredDeleted + s.failedDeleted + s.deleteRetried + s.schedulesRemoved + s.schedulesRecreated + s.errors > 0;

/** What local mode runs on its clock: due schedules, the sweeper on its interval, the stack watcher. */
export interface Clockwork {
  clock: VirtualClock;
  scheduler: LocalScheduler;
  watcher: StackWatcher;
  /** Waits for the work the events of an instant started (notifications arming timers). */
  settle: () => Promise<void>;
  /** The SSM Agent model: brought to each instant the clock reaches. */
  agents: { advanceTo(date: Date): Promise<AgentEvent[]> };
  /** One run of the sweep function. */
  sweep: () => Promise<SweepSummary>;
  sweepIntervalMs: number;
  say: (line: string) => void;
}

/**
 * Drives local mode's virtual clock. `tick()` (on a real-time interval) runs whatever came due;
 * `advance()` moves the clock forward event by event, so each timer fires at its own instant.
 * Both run one at a time.
 */
export class TimeMachine {
  private readonly serial = new KeyedLock();
  private lastSweep: Date;

  constructor(private readonly parts: Clockwork) {
    this.lastSweep = parts.clock.now();
  }

  tick(): Promise<void> {
    return this.serial.run("clock", async () => {
      await this.parts.agents.advanceTo(this.parts.clock.now());
      await this.fire();
      if (this.parts.clock.now().getTime() - this.lastSweep.getTime() >= this.parts.sweepIntervalMs) await this.runSweep();
      await this.observe();
    });
  }

  advance(minutes: number): Promise<AdvanceReport> {
    return this.serial.run("clock", async () => {
      const { clock, scheduler, sweepIntervalMs } = this.parts;
      const from = clock.now();
      const target = new Date(from.getTime() + minutes * 60_000);
      const report: AdvanceReport = { from: isoSeconds(from), to: isoSeconds(target), fired: [], agents: [], sweepRuns: 0, sweeps: [] };
      const agentsTo = async (date: Date) => {
        for (const event of await this.parts.agents.advanceTo(date)) {
          report.agents.push({ instanceId: event.instanceId, event: event.event, at: isoSeconds(event.at) });
        }
      };
      // What happened since the last look (a stack completed) counts from now, not from the first step.
      await this.observe();
      const failed = new Set<string>();
      for (let step = 0; step < 10_000; step++) {
        const pending = (await runAs("eventbridge-scheduler", () => scheduler.pending())).filter((s) => !failed.has(s.name));
        const nextSweep = new Date(this.lastSweep.getTime() + sweepIntervalMs);
        const next = new Date(Math.min(pending[0]?.at.getTime() ?? Number.POSITIVE_INFINITY, nextSweep.getTime()));
        if (next > target) break;
        await agentsTo(next);
        clock.advanceTo(next);
        const fired = await this.fire(pending);
        for (const f of fired) if (f.error) failed.add(f.schedule);
        report.fired.push(...fired);
        if (clock.now() >= nextSweep) {
          const run = await this.runSweep();
          report.sweepRuns += 1;
          if (actedOn(run)) report.sweeps.push(run);
        }
        await this.observe();
      }
      await agentsTo(target);
      clock.advanceTo(target);
      await this.observe();
      return report;
    });
  }

  /** Stack status events at this instant, and what they set off (timers armed by notifications). */
  private async observe(): Promise<void> {
    await this.parts.watcher.poll();
    await this.parts.settle();
  }

  /** Waits for the tick or advance in progress. */
  idle(): Promise<void> {
    return this.serial.run("clock", async () => undefined);
  }

  private async runSweep(): Promise<SweepSummary & { at: string }> {
    const summary = await this.parts.sweep();
    this.lastSweep = this.parts.clock.now();
    if (actedOn(summary)) this.parts.say(`sweeper: ${JSON.stringify(summary)}`);
    return { ...summary, at: isoSeconds(this.parts.clock.now()) };
  }

  private async fire(due?: Awaited<ReturnType<LocalScheduler["pending"]>>): Promise<Fired[]> {
    const fired = await runAs("eventbridge-scheduler", () => this.parts.scheduler.fireDue(this.parts.clock.now(), due));
    for (const f of fired) this.parts.say(`schedule fired: ${f.schedule} -> ${f.error ? `error: ${f.error}` : JSON.stringify(f.result)}`);
    return fired;
  }
}
