import { hmacSha256Hex, sameSignature } from "../runtime/hmac.js";

/** The header that carries `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const WEBHOOK_SIGNATURE_HEADER = "x-ssm-knock-signature";

/** Signs a webhook body together with the time of sending, so a receiver can refuse replays. */
export function signWebhook(secret: string, body: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${hmacSha256Hex(secret, `${timestampSeconds}.${body}`)}`;
}

/**
 * What a receiver runs (documented in the README, used by the tests): the signature matches the
 * body and was made within `toleranceSeconds` of now.
 */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string | undefined,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = new Map((header ?? "").split(",").map((part) => part.trim().split("=", 2) as [string, string]));
  const timestamp = Number(parts.get("t"));
  const signature = parts.get("v1");
  if (!Number.isInteger(timestamp) || !signature) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  return sameSignature(hmacSha256Hex(secret, `${timestamp}.${body}`), signature);
}
