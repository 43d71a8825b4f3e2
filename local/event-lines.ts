import type { Notifier, SessionEvent } from "../lib/core/session-events.js";

/** One readable line per session event: what local mode's terminal shows. */
export function describeEvent(event: SessionEvent): string {
  const s = event.session;
  switch (event.type) {
    case "session.opened":
      return `session opened: ${s.id} (${s.region}) by ${event.actor}, expires ${s.expiresAt}${s.connect ? ` - ${s.connect}` : ""}`;
    case "session.extended":
      return `session extended: ${s.id} by ${event.actor}, now expires ${s.expiresAt}`;
    case "session.closed":
      return `session closed: ${s.id} (${event.reason}${event.reason === "closed" ? ` by ${event.actor}` : ""})${
        event.bill ? `; bill USD ${event.bill.usd.toFixed(2)} for ${event.bill.endpointHours} endpoint-hours` : ""
      }`;
    case "session.failed":
      return `session failed: ${s.id}: ${event.reason ?? s.stackStatus}`;
    case "session.connectable":
      return `session connectable: ${s.id}${s.connect ? ` - ${s.connect}` : ""}`;
    case "session.instance_rebooted":
      return `instance rebooted: ${s.id}: ${event.reason ?? ""}`;
    case "session.update_failed":
      return `session change rolled back: ${s.id}: ${event.reason ?? s.stackStatus}; expires ${s.expiresAt} as before`;
    case "session.ready":
      return `session ready: ${s.id}`;
    case "session.expiring":
      return `session expiring: ${s.id} at ${s.expiresAt}`;
  }
}

/** Says each event as a line, then hands it to every sink (Slack, webhooks, test receivers). */
export function lineNotifier(say: (line: string) => void, sinks: Notifier[]): Notifier {
  return {
    notify: async (event) => {
      say(describeEvent(event));
      await Promise.all(sinks.map((sink) => sink.notify(event)));
    },
  };
}
