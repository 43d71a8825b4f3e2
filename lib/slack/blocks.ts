import { formatDuration } from "../core/duration.js";
import type { Bill, Session } from "../core/session.js";
import { escapeMrkdwn, mentionOf } from "./identity.js";
import { type Block, type Button, mrkdwn } from "./message.js";

/** The buttons' action ids; lib/slack/interactions.ts dispatches on them. */
export const EXTEND_ACTION = "session.extend";
export const CLOSE_ACTION = "session.close";
/** What "Extend" adds to the current expiry; the button's label says the same. */
export const EXTEND_BY_MS = 3_600_000;

const LIVE = new Set(["creating", "ready"]);

/** "2026-11-30 12:00 UTC (in 1h 45m)": UTC so nobody misreads a time zone, and relative for humans. */
export function expiryText(expiresAt: string, now: Date): string {
  const at = new Date(expiresAt);
  const utc = `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  const left = at.getTime() - now.getTime();
  return left > 0 ? `${utc} (in ${formatDuration(left)})` : `${utc} (passed)`;
}

/** "Bill: USD 0.06, 6 endpoint-hours (2 endpoints x 1 AZ x 3 started hours at USD 0.01), 10:00Z to 12:01Z." */
export function billText(bill: Bill): string {
  const zones = `${bill.availabilityZones} AZ${bill.availabilityZones === 1 ? "" : "s"}`;
  const span = `${bill.openedAt.slice(11, 16)}Z to ${bill.closedAt.slice(11, 16)}Z`;
  return (
    `Bill: USD ${bill.usd.toFixed(2)}, ${bill.endpointHours} endpoint-hours (${bill.interfaceEndpoints} endpoints x ${zones} x ` +
    `${bill.startedHours} started hours at USD ${bill.pricePerEndpointHourUsd}), ${span}.`
  );
}

export function connectCommand(session: Session): string {
  return session.connect ?? `aws ssm start-session --target <instance-id> --region ${session.region}`;
}

export function sessionButtons(session: Session): Button[] {
  return [
    {
      type: "button",
      action_id: EXTEND_ACTION,
      text: { type: "plain_text", text: `Extend ${formatDuration(EXTEND_BY_MS)}` },
      value: session.id,
      style: "primary",
    },
    {
      type: "button",
      action_id: CLOSE_ACTION,
      text: { type: "plain_text", text: "Close now" },
      value: session.id,
      style: "danger",
      confirm: {
        title: { type: "plain_text", text: "Close the session?" },
        text: { type: "plain_text", text: `Session Manager access to ${session.vpcId} ends for everyone using it.` },
        confirm: { type: "plain_text", text: "Close now" },
        deny: { type: "plain_text", text: "Keep it" },
      },
    },
  ];
}

/**
 * A session as Slack blocks: the headline, then VPC, account, instance, requester, expiry (UTC and
 * relative), status and cost, the reason, the connect command, and, while the session is live,
 * the "Extend" and "Close now" buttons.
 */
export function sessionBlocks(session: Session, headline: string, now: Date): Block[] {
  const instances = session.instances.length ? session.instances.map(({ id }) => `\`${id}\``).join(", ") : "any in the VPC";
  const blocks: Block[] = [
    {
      type: "section",
      text: mrkdwn(headline),
      fields: [
        mrkdwn(`*VPC*\n\`${session.vpcId}\` (${session.region})`),
        mrkdwn(`*Account*\n\`${session.accountId}\``),
        mrkdwn(`*Instance*\n${instances}`),
        mrkdwn(`*Requested by*\n${session.requesters.map(mentionOf).join(", ") || mentionOf(session.requestedBy)}`),
        mrkdwn(`*Expires*\n${expiryText(session.expiresAt, now)}`),
        mrkdwn(`*Status*\n${session.status}`),
        mrkdwn(`*Cost*\nUSD ${session.costSoFarUsd.toFixed(2)} so far, USD ${session.estimatedCostUsd.toFixed(2)} until expiry`),
      ],
    },
  ];
  if (session.reason) blocks.push({ type: "context", elements: [mrkdwn(`Reason: ${escapeMrkdwn(session.reason)}`)] });
  blocks.push({ type: "section", text: mrkdwn(`Connect:\n\`\`\`${connectCommand(session)}\`\`\``) });
  if (LIVE.has(session.status)) blocks.push({ type: "actions", block_id: `session:${session.id}`, elements: sessionButtons(session) });
  return blocks;
}
