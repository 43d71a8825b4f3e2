import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhookSignature } from "../../../lib/notify/webhook-signature.js";

const SECRET = "whsec-test";
const BODY = '{"type":"session.opened"}';
const T = 1_796_040_000;
const HEADER = signWebhook(SECRET, BODY, T);
const [, V1] = HEADER.split("v1=");

describe("verifyWebhookSignature", () => {
  it("accepts a signature made exactly 5 minutes off either way, and refuses one second more", () => {
    expect(verifyWebhookSignature(SECRET, BODY, HEADER, T - 300)).toBe(true);
    expect(verifyWebhookSignature(SECRET, BODY, HEADER, T + 300)).toBe(true);
    expect(verifyWebhookSignature(SECRET, BODY, HEADER, T - 301)).toBe(false);
    expect(verifyWebhookSignature(SECRET, BODY, HEADER, T + 301)).toBe(false);
  });

  it.each([undefined, "", `v1=${V1}`, `t=${T}`, `t=${T},v1=`, `t=soon,v1=${V1}`])(
    "refuses the header %j, which lacks a timestamp or a signature",
    (header) => {
      expect(verifyWebhookSignature(SECRET, BODY, header, T)).toBe(false);
    },
  );
});
