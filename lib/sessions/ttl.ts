import { formatDuration, parseDuration } from "../core/duration.js";
import { InvalidRequestError, PreconditionError } from "../core/errors.js";
import type { Config } from "../runtime/config.js";

/** A TTL in milliseconds within the configured bounds; malformed is 400, out of bounds 422. */
export function resolveTtl(ttl: string | number | undefined, bounds: Config["ttl"]): number {
  if (ttl === undefined) return bounds.defaultMs;
  const ms = parseDuration(ttl);
  if (ms === undefined) {
    throw new InvalidRequestError('ttl must be a duration such as "2h", "90m", "1h30m" or a number of hours, in whole minutes', "ttl");
  }
  if (ms < bounds.minMs || ms > bounds.maxMs) {
    throw new PreconditionError(
      "ttl_out_of_bounds",
      `ttl must be between ${formatDuration(bounds.minMs)} and ${formatDuration(bounds.maxMs)}`,
      "ttl",
    );
  }
  return ms;
}
