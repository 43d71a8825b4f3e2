import { VPC_ID } from "../core/ids.js";
import * as z from "../core/zod.js";
import { CLOSE_ACTION, EXTEND_ACTION } from "./blocks.js";

/** The part of Slack's block_actions payload ssm-knock reads. */
const ButtonPayloadSchema = z.object({
  type: z.literal("block_actions"),
  user: z.object({ id: z.string().check(z.minLength(1)), team_id: z.optional(z.string()) }),
  team: z.nullish(z.object({ id: z.string().check(z.minLength(1)) })),
  channel: z.nullish(z.object({ id: z.string() })),
  response_url: z.url(),
  actions: z.array(z.object({ action_id: z.string(), value: z.optional(z.string()) })).check(z.minLength(1)),
});

export interface ButtonPress {
  action: "extend" | "close";
  sessionId: string;
  userId: string;
  teamId: string;
  channelId?: string;
  responseUrl: string;
}

/** A press of one of our buttons, or undefined for any other interaction (which is acknowledged and ignored). */
export function parseButtonPress(payloadJson: string | null): ButtonPress | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(payloadJson ?? "");
  } catch {
    return undefined;
  }
  const parsed = ButtonPayloadSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const payload = parsed.data;
  const [pressed] = payload.actions;
  const action = pressed.action_id === EXTEND_ACTION ? "extend" : pressed.action_id === CLOSE_ACTION ? "close" : undefined;
  if (!action || !pressed.value || !VPC_ID.test(pressed.value)) return undefined;
  return {
    action,
    sessionId: pressed.value,
    userId: payload.user.id,
    teamId: payload.team?.id ?? payload.user.team_id ?? "unknown",
    channelId: payload.channel?.id,
    responseUrl: payload.response_url,
  };
}
