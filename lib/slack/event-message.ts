import { formatDuration } from "../core/duration.js";
import type { SessionEvent } from "../core/session-events.js";
import { billText, sessionBlocks } from "./blocks.js";
import { escapeMrkdwn, mentionOf } from "./identity.js";
import { mrkdwn, type SlackMessage } from "./message.js";

function closedBecause(event: SessionEvent): string {
  switch (event.reason) {
    case "expired":
      return "it expired";
    case "swept":
      return "the sweeper removed it";
    default:
      return `closed by ${mentionOf(event.actor)}`;
  }
}

/** One line that says what happened; also the notification's plain-text fallback. */
export function eventHeadline(event: SessionEvent, now: Date): string {
  const { session } = event;
  const vpc = `\`${session.vpcId}\``;
  switch (event.type) {
    case "session.opened":
      return `:unlock: ${mentionOf(event.actor)} opened Session Manager access to ${vpc}; the endpoints are being created.`;
    case "session.ready":
      return `:white_check_mark: Session Manager access to ${vpc} is ready.`;
    case "session.expiring": {
      const left = new Date(session.expiresAt).getTime() - now.getTime();
      return `:hourglass_flowing_sand: Session Manager access to ${vpc} ends in ${formatDuration(left)}. Extend it if you still need it.`;
    }
    case "session.extended":
      return `:arrows_clockwise: ${mentionOf(event.actor)} extended Session Manager access to ${vpc}.`;
    case "session.closed":
      return `:lock: Session Manager access to ${vpc} is closed: ${closedBecause(event)}.`;
    case "session.failed":
      return `:x: Session Manager access to ${vpc} failed${event.reason ? `: ${escapeMrkdwn(event.reason)}` : "."}`;
    case "session.connectable":
      return `:computer: Session Manager can connect to every instance of ${vpc} now${session.connect ? `: \`${session.connect}\`` : "."}`;
    case "session.instance_rebooted":
      return `:repeat: ssm-knock rebooted an instance of ${vpc} to restart its SSM Agent${event.reason ? `: ${escapeMrkdwn(event.reason)}` : "."}`;
    case "session.update_failed":
      return `:warning: A change to Session Manager access to ${vpc} was rolled back${event.reason ? `: ${escapeMrkdwn(event.reason)}` : ""}. The session runs on as it was, until ${session.expiresAt}; ask an admin to fix the cause before joining again.`;
  }
}

/** The Slack notification of a session event (incoming webhook); a closed session's carries its bill. */
export function eventMessage(event: SessionEvent, now: Date): SlackMessage {
  const headline = eventHeadline(event, now);
  const blocks = sessionBlocks(event.session, headline, now);
  if (event.type === "session.closed" && event.bill) blocks.splice(1, 0, { type: "context", elements: [mrkdwn(billText(event.bill))] });
  return { text: event.bill ? `${headline} ${billText(event.bill)}` : headline, blocks };
}
