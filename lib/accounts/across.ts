import pLimit from "p-limit";
import { awsErrorName } from "../aws/errors.js";
import { AppError } from "../core/errors.js";
import type { StackPlace } from "../core/session.js";

/** How many accounts and regions an API read (a look-up, a list) reads at once. */
export const PLACES_AT_ONCE = 16;

/** A place (account and region) that could not be read, and why. */
export interface PlaceFailure {
  place: StackPlace;
  error: unknown;
}

export interface AcrossPlaces<T> {
  done: { place: StackPlace; value: T }[];
  failed: PlaceFailure[];
}

/**
 * Runs `work` in every place, at most `concurrency` at once. A place that fails (its role missing,
 * AccessDenied, throttling) is reported, never thrown: one account must not stop the others.
 */
export async function acrossPlaces<T>(
  places: StackPlace[],
  concurrency: number,
  work: (place: StackPlace) => Promise<T>,
): Promise<AcrossPlaces<T>> {
  const limit = pLimit(Math.max(1, concurrency));
  const outcomes = await Promise.all(
    places.map((place) =>
      limit(async () => {
        try {
          return { place, value: await work(place) };
        } catch (error) {
          return { place, error };
        }
      }),
    ),
  );
  return {
    done: outcomes.flatMap((o) => ("value" in o ? [{ place: o.place, value: o.value as T }] : [])),
    failed: outcomes.flatMap((o) => ("error" in o ? [{ place: o.place, error: o.error }] : [])),
  };
}

/** A failure as the API and the logs show it: the account, the region and what went wrong. */
export function describeFailure(failure: PlaceFailure): { accountId: string; region: string; code: string; message: string } {
  const { error, place } = failure;
  // An AppError's message is written for the caller; anything else is only named (the log has it).
  if (error instanceof AppError) return { ...place, code: error.code, message: error.message };
  const code = awsErrorName(error) || "error";
  return { ...place, code, message: `Reading ${place.accountId} in ${place.region} failed (${code}); the error is logged.` };
}
