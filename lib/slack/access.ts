import type { SlackConfig } from "../runtime/config.js";

/** Why a Slack user may not act here, or undefined when they may. Empty allowlists admit everyone. */
export function deniedReason(config: SlackConfig, who: { userId: string; channelId?: string }): string | undefined {
  if (config.allowedUsers.length && !config.allowedUsers.includes(who.userId)) {
    return "You are not on ssm-knock's list of Slack users who may open or change sessions; ask an admin to add your user id.";
  }
  if (config.allowedChannels.length && !(who.channelId && config.allowedChannels.includes(who.channelId))) {
    return "ssm-knock does not take requests in this channel; use one of the channels it is configured for.";
  }
  return undefined;
}
