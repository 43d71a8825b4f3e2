/** The parts of Slack's message format ssm-knock sends (Block Kit; https://api.slack.com/block-kit). */
export interface SlackMessage {
  text: string;
  blocks?: Block[];
  response_type?: "ephemeral" | "in_channel";
  replace_original?: boolean;
}

export type Block =
  | { type: "section"; text: Mrkdwn; fields?: Mrkdwn[] }
  | { type: "section"; fields: Mrkdwn[] }
  | { type: "context"; elements: Mrkdwn[] }
  | { type: "actions"; block_id?: string; elements: Button[] };

export interface Mrkdwn {
  type: "mrkdwn";
  text: string;
}

export interface Button {
  type: "button";
  action_id: string;
  text: { type: "plain_text"; text: string };
  value: string;
  style?: "primary" | "danger";
  confirm?: {
    title: { type: "plain_text"; text: string };
    text: { type: "plain_text"; text: string };
    confirm: { type: "plain_text"; text: string };
    deny: { type: "plain_text"; text: string };
  };
}

export const mrkdwn = (text: string): Mrkdwn => ({ type: "mrkdwn", text });

/** A reply only the person who typed the command sees. */
export const ephemeral = (text: string, blocks?: Block[]): SlackMessage => ({
  response_type: "ephemeral",
  text,
  ...(blocks ? { blocks } : {}),
});
