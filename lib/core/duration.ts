const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/;

/**
 * Parses a TTL: a string such as "2h", "90m", "1h30m", "1d", or a number of hours (2, 1.5).
 * Returns milliseconds, or undefined when the value is not a duration at all. Fractions of a
 * minute are not durations: Scheduler has one-minute precision, so they could not be honoured.
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value <= 0) return undefined;
    // Whole minutes are checked on the minutes: in milliseconds a large value loses its fraction.
    const minutes = value * 60;
    const ms = minutes * UNIT_MS.m;
    return Number.isInteger(minutes) && Number.isFinite(ms) ? ms : undefined;
  }
  if (typeof value !== "string") return undefined;
  const text = value.trim().toLowerCase();
  const match = DURATION.exec(text);
  if (!text || !match) return undefined;
  const [, days, hours, minutes] = match;
  const ms = Number(days ?? 0) * UNIT_MS.d + Number(hours ?? 0) * UNIT_MS.h + Number(minutes ?? 0) * UNIT_MS.m;
  return ms > 0 ? ms : undefined;
}

/** "1h 45m", "3d 2h", "12m": a duration the way people say it (minutes, rounded up). */
export function formatDuration(ms: number): string {
  let minutes = Math.max(0, Math.ceil(ms / UNIT_MS.m));
  const days = Math.floor(minutes / 1440);
  minutes -= days * 1440;
  const hours = Math.floor(minutes / 60);
  minutes -= hours * 60;
  const parts = [days && `${days}d`, hours && `${hours}h`, (minutes || (!days && !hours)) && `${minutes}m`];
  return parts.filter(Boolean).join(" ");
}
