import type { Clock } from "../lib/core/time.js";

/**
 * Local mode's clock: real time plus an offset that `POST /local/advance` grows. Handlers, the
 * local scheduler and the sweeper all read this one clock.
 */
export class VirtualClock {
  private offsetMs = 0;

  readonly now: Clock = () => new Date(Date.now() + this.offsetMs);

  advance(ms: number): void {
    if (ms > 0) this.offsetMs += ms;
  }

  /** Moves forward to `date` (never backwards). */
  advanceTo(date: Date): void {
    this.advance(date.getTime() - this.now().getTime());
  }
}
