/**
 * A Slack user as a session requester: `slack:<team id>/<user id>`. Ids, not names: names
 * change, and the string goes into stack tags (letters, digits and `:/_.-@+=` only).
 */
export const slackRequester = (teamId: string, userId: string) => `slack:${teamId}/${userId}`;

const SLACK_REQUESTER = /^slack:[A-Z0-9]+\/([A-Z0-9]+)$/;

/** How Slack shows a requester: a mention for Slack users, the IAM identity in code otherwise. */
export function mentionOf(requester: string): string {
  const match = SLACK_REQUESTER.exec(requester);
  return match ? `<@${match[1]}>` : `\`${escapeMrkdwn(requester)}\``;
}

/** Slack's mrkdwn gives `&`, `<` and `>` meaning; text from people must not smuggle mentions or links in. */
export const escapeMrkdwn = (text: string) => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
