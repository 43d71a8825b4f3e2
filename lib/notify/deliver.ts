import type { Logger } from "@aws-lambda-powertools/logger";
import type { SessionEvent } from "../core/session-events.js";
import type { Sink } from "./sinks.js";

export interface DeliveryReport {
  sink: string;
  ok: boolean;
  error?: string;
}

/** Sends one event to every sink at once; a failing sink is logged and reported, never thrown. */
export async function deliverToAll(sinks: Sink[], event: SessionEvent, logger: Pick<Logger, "info" | "warn">): Promise<DeliveryReport[]> {
  const results = await Promise.allSettled(sinks.map((sink) => sink.send(event)));
  return results.map((result, index) => {
    const sink = sinks[index].name;
    const context = { sink, eventType: event.type, sessionId: event.session.id };
    if (result.status === "fulfilled") {
      logger.info("notification delivered", context);
      return { sink, ok: true };
    }
    // Only the message: errors from fetch could otherwise carry the (secret) URL.
    const error = (result.reason as Error)?.message ?? String(result.reason);
    logger.warn("notification not delivered", { ...context, error });
    return { sink, ok: false, error };
  });
}
