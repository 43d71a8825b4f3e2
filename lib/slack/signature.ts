import { UnauthorizedError } from "../core/errors.js";
import { hmacSha256Hex, sameSignature } from "../runtime/hmac.js";

/** Slack refuses to sign with older timestamps after 5 minutes, and so do we. */
export const SLACK_MAX_AGE_SECONDS = 300;

/** A request that does not prove it came from Slack, just now, for the first time. */
export class SlackSignatureError extends UnauthorizedError {
  constructor(readonly why: "missing" | "stale" | "forged" | "replayed" | "unconfigured") {
    super("This request is not signed by Slack; ssm-knock only accepts requests from its Slack app.");
  }
}

/**
 * Signatures seen within the last 5 minutes. Together with the timestamp window it makes a
 * captured request useless: older than 5 minutes it is stale, younger it was seen. In memory, so
 * per process (one warm Lambda instance, or local mode); a replay that reaches a different Lambda
 * instance within those minutes is not caught. Bounded, oldest forgotten first.
 */
export class RecentSignatures {
  private readonly seen = new Map<string, number>();

  constructor(private readonly maxEntries = 10_000) {}

  /** True the first time a signature is offered; false when it was seen and has not expired. */
  remember(signature: string, expiresAtMs: number, nowMs: number): boolean {
    // Asked before any room is made: when full, the oldest entry may be the replay offered.
    const previous = this.seen.get(signature);
    if (previous !== undefined && previous > nowMs) return false;
    this.seen.delete(signature);
    for (const [key, expiry] of this.seen) {
      if (expiry > nowMs && this.seen.size < this.maxEntries) break;
      this.seen.delete(key);
    }
    this.seen.set(signature, expiresAtMs);
    return true;
  }
}

export interface SignedRequest {
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string;
}

/**
 * Slack's request signing (https://api.slack.com/authentication/verifying-requests-from-slack):
 * `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing secret, compared in
 * constant time, the timestamp within 5 minutes of now, and never the same signature twice.
 */
export function verifySlackRequest(secret: string | undefined, request: SignedRequest, now: Date, recent: RecentSignatures): void {
  if (!secret) throw new SlackSignatureError("unconfigured");
  const { timestamp, signature, rawBody } = request;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) throw new SlackSignatureError("missing");
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > SLACK_MAX_AGE_SECONDS) throw new SlackSignatureError("stale");
  const expected = `v0=${hmacSha256Hex(secret, `v0:${timestamp}:${rawBody}`)}`;
  if (!sameSignature(expected, signature)) throw new SlackSignatureError("forged");
  if (!recent.remember(signature, (Number(timestamp) + SLACK_MAX_AGE_SECONDS) * 1000, now.getTime()))
    throw new SlackSignatureError("replayed");
}

/** What Slack sends; for tests and for local tools that call the routes the way Slack does. */
export function slackSignature(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${hmacSha256Hex(secret, `v0:${timestamp}:${rawBody}`)}`;
}
