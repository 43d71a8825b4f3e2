import { isoSeconds } from "../lib/core/time.js";
import { KeyedLock } from "../lib/runtime/lock.js";
import type { SweepSummary } from "../lib/sweep/sweep.js";
import type { VirtualClock } from "./clock.js";
import type { Fired, LocalScheduler } from "./scheduler.js";
import type { StackWatcher } from "./watcher.js";

export interface AdvanceReport {
  from: string;
  to: string;
  fired: Fired[];
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
      await this.fire();
      if (this.parts.clock.now().getTime() - this.lastSweep.getTime() >= this.parts.sweepIntervalMs) await this.runSweep();
      await this.parts.watcher.poll();
    });
  }

  advance(minutes: number): Promise<AdvanceReport> {
    return this.serial.run("clock", async () => {
      const { clock, scheduler, watcher, sweepIntervalMs } = this.parts;
      const from = clock.now();
      const target = new Date(from.getTime() + minutes * 60_000);
      const report: AdvanceReport = { from: isoSeconds(from), to: isoSeconds(target), fired: [], sweepRuns: 0, sweeps: [] };
      const failed = new Set<string>();
      for (let step = 0; step < 10_000; step++) {
        const pending = (await scheduler.pending()).filter((s) => !failed.has(s.name));
        const nextSweep = new Date(this.lastSweep.getTime() + sweepIntervalMs);
        const next = new Date(Math.min(pending[0]?.at.getTime() ?? Number.POSITIVE_INFINITY, nextSweep.getTime()));
        if (next > target) break;
        clock.advanceTo(next);
        const fired = await this.fire(pending);
        for (const f of fired) if (f.error) failed.add(f.schedule);
        report.fired.push(...fired);
        if (clock.now() >= nextSweep) {
          const run = await this.runSweep();
          report.sweepRuns += 1;
          if (actedOn(run)) report.sweeps.push(run);
        }
        await watcher.poll();
      }
      clock.advanceTo(target);
      await watcher.poll();
      return report;
    });
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
    const fired = await this.parts.scheduler.fireDue(this.parts.clock.now(), due);
    for (const f of fired) this.parts.say(`schedule fired: ${f.schedule} -> ${f.error ? `error: ${f.error}` : JSON.stringify(f.result)}`);
    return fired;
  }
}
