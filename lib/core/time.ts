/** The clock is passed in everywhere, so local mode can run the service on a virtual clock. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

const MINUTE = 60_000;

/** Scheduler fires with one-minute precision, so expiries are whole minutes (rounded up). */
export function ceilToMinute(date: Date): Date {
  return new Date(Math.ceil(date.getTime() / MINUTE) * MINUTE);
}

/** ISO 8601 UTC to the second: "2026-11-30T21:05:00Z". */
export function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** EventBridge Scheduler's one-time expression; read with ScheduleExpressionTimezone UTC. */
export function atExpression(date: Date): string {
  return `at(${date.toISOString().slice(0, 19)})`;
}

/** The instant of an `at(yyyy-mm-ddThh:mm:ss)` expression in UTC, or undefined for others. */
export function parseAtExpression(expression: string | undefined): Date | undefined {
  const match = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expression ?? "");
  return match ? new Date(`${match[1]}Z`) : undefined;
}
