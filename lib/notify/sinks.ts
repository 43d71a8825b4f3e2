import type { IntegrationSecrets } from "../aws/secrets.js";
import type { SessionEvent } from "../core/session-events.js";
import { type Clock, systemClock } from "../core/time.js";
import { type PostOptions, postWithRetry } from "../runtime/post.js";
import { eventMessage } from "../slack/event-message.js";
import { webhookPayload } from "./payload.js";
import { signWebhook, WEBHOOK_SIGNATURE_HEADER } from "./webhook-signature.js";

/** One destination of session events. `send` may throw; the delivery around it catches and logs. */
export interface Sink {
  /** For logs: never the URL, which is a secret. */
  name: string;
  send(event: SessionEvent): Promise<void>;
}

type DeliveryOptions = Omit<PostOptions, "headers">;

export function slackWebhookSink(url: string, clock: Clock, options: DeliveryOptions): Sink {
  return {
    name: "slack",
    send: async (event) => {
      await postWithRetry(url, JSON.stringify(eventMessage(event, clock())), options);
    },
  };
}

/**
 * The generic webhook: a versioned JSON body, signed per attempt (a retry carries a fresh
 * timestamp, so a slow retry is not refused as stale). The delivery id stays the same across
 * retries for deduplication.
 */
export function genericWebhookSink(url: string, secret: string, clock: Clock, options: DeliveryOptions): Sink {
  return {
    name: "webhook",
    send: async (event) => {
      const body = JSON.stringify(webhookPayload(event));
      const { id, type } = JSON.parse(body) as { id: string; type: string };
      const signature = () => signWebhook(secret, body, Math.floor(clock().getTime() / 1000));
      await postWithRetry(url, body, {
        ...options,
        headers: { "x-ssm-knock-event": type, "x-ssm-knock-delivery": id },
        sign: () => ({ [WEBHOOK_SIGNATURE_HEADER]: signature() }),
      });
    },
  };
}

/**
 * The sinks the configured secrets switch on; a generic webhook without a secret is refused (it
 * must be signed) and reported in `problems`. `clock` words the messages ("in 1h 45m": the domain's clock, virtual in local mode); `wallClock`
 * stamps signatures, which receivers check against their own real clocks.
 */
export function sinksFrom(
  secrets: IntegrationSecrets,
  clock: Clock,
  options: DeliveryOptions,
  wallClock: Clock = systemClock,
): { sinks: Sink[]; problems: string[] } {
  const sinks: Sink[] = [];
  const problems: string[] = [];
  if (secrets.slackWebhookUrl) sinks.push(slackWebhookSink(secrets.slackWebhookUrl, clock, options));
  if (secrets.webhookUrl && secrets.webhookSecret)
    sinks.push(genericWebhookSink(secrets.webhookUrl, secrets.webhookSecret, wallClock, options));
  else if (secrets.webhookUrl) problems.push("the webhook URL is set but its secret is not; webhook notifications are off until it is");
  return { sinks, problems };
}
