import { createHmac, timingSafeEqual } from "node:crypto";

/** Hex HMAC-SHA256 of a text: what Slack's `v0` and our webhook `v1` signatures are made of. */
export const hmacSha256Hex = (secret: string, text: string) => createHmac("sha256", secret).update(text, "utf8").digest("hex");

/** Compares two signatures in constant time, so a forger learns nothing from how long a refusal takes. */
export function sameSignature(expected: string, received: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(received, "utf8");
  // timingSafeEqual throws on different lengths; the length of our own signature is no secret.
  return a.length === b.length && timingSafeEqual(a, b);
}
