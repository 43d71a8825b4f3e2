import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SessionEventType } from "../../../lib/core/session-events.js";
import { billFor } from "../../../lib/cost/bill.js";
import { WEBHOOK_SCHEMA_VERSION } from "../../../lib/notify/payload.js";
import { genericWebhookSink, sinksFrom } from "../../../lib/notify/sinks.js";
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from "../../../lib/notify/webhook-signature.js";
import { DeliveryError, postWithRetry } from "../../../lib/runtime/post.js";
import { type Receiver, startReceiver } from "../../support/receiver.js";
import { NOW, sampleEvent } from "../../support/session-fixture.js";

const SECRET = "whsec-test";
const clock = () => NOW;
const fast = { timeoutMs: 300, retries: 3, minBackoffMs: 10 };
const TYPES: SessionEventType[] = [
  "session.opened",
  "session.ready",
  "session.expiring",
  "session.extended",
  "session.closed",
  "session.failed",
];

let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

describe("generic webhook", () => {
  it.each(TYPES)("sends %s as a versioned JSON body, signed over the timestamp and the body", async (type) => {
    await genericWebhookSink(receiver.url("/hook"), SECRET, clock, fast).send(
      sampleEvent(type, { reason: type === "session.closed" ? "expired" : undefined }),
    );
    const [request] = receiver.received;
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["x-ssm-knock-event"]).toBe(type);
    expect(request.json).toMatchObject({
      version: WEBHOOK_SCHEMA_VERSION,
      id: request.headers["x-ssm-knock-delivery"],
      type,
      occurredAt: "2026-11-30T10:15:00Z",
      actor: "slack:T0001/U0001",
      reason: type === "session.closed" ? "expired" : null,
      session: {
        id: "vpc-0a1b2c3d4e5f60718",
        expiresAt: "2026-11-30T12:00:00Z",
        connect: "aws ssm start-session --target i-0123456789abcdef0 --region us-east-1",
      },
    });
    const header = String(request.headers[WEBHOOK_SIGNATURE_HEADER]);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(SECRET, request.body, header, NOW.getTime() / 1000)).toBe(true);
    expect(verifyWebhookSignature("other-secret", request.body, header, NOW.getTime() / 1000)).toBe(false);
    expect(verifyWebhookSignature(SECRET, request.body.replace("vpc-0a1b", "vpc-ffff"), header, NOW.getTime() / 1000)).toBe(false);
    expect(verifyWebhookSignature(SECRET, request.body, header, NOW.getTime() / 1000 + 301)).toBe(false);
  });

  it("keeps the top-level keys of schema version 1 (bill added, as additive fields are)", async () => {
    await genericWebhookSink(receiver.url(), SECRET, clock, fast).send(sampleEvent("session.opened"));
    expect(Object.keys(receiver.received[0].json).sort()).toEqual([
      "actor",
      "bill",
      "id",
      "occurredAt",
      "reason",
      "session",
      "type",
      "version",
    ]);
    expect(receiver.received[0].json.bill).toBeNull();
  });

  it("carries a closed session's bill", async () => {
    const bill = billFor({
      services: ["ssm", "ssmmessages"],
      availabilityZones: 1,
      openedAt: new Date("2026-11-30T10:00:00Z"),
      closedAt: new Date("2026-11-30T12:01:00Z"),
      pricePerEndpointHourUsd: 0.014,
    });
    await genericWebhookSink(receiver.url(), SECRET, clock, fast).send(sampleEvent("session.closed", { reason: "expired", bill }));
    expect(receiver.received[0].json.bill).toEqual({ ...bill, endpointHours: 6, usd: 0.084, startedHours: 3 });
  });

  it("retries 5xx and timeouts with backoff, with one delivery id, until the receiver accepts", async () => {
    receiver.answer({ status: 503 }, "hang", { status: 500 });
    await genericWebhookSink(receiver.url(), SECRET, clock, fast).send(sampleEvent("session.ready"));
    expect(receiver.received).toHaveLength(4);
    expect(new Set(receiver.received.map((r) => r.headers["x-ssm-knock-delivery"])).size).toBe(1);
  });

  it("gives up after its retries and says how often it tried, without the URL", async () => {
    receiver.answer({ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    const error = await postWithRetry(receiver.url("/secret-token"), "{}", fast).catch((e) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ attempts: 4, status: 500 });
    expect(error.message).toBe("HTTP 500 after 4 attempts");
    expect(error.message).not.toContain("secret-token");
  });

  it("does not retry a 4xx: the receiver refused the body itself", async () => {
    receiver.answer({ status: 400 });
    await expect(postWithRetry(receiver.url(), "{}", fast)).rejects.toMatchObject({ attempts: 1, status: 400 });
    expect(receiver.received).toHaveLength(1);
  });

  it("is switched on only with both URL and secret", () => {
    expect(sinksFrom({ webhookUrl: receiver.url() }, clock, fast)).toMatchObject({
      sinks: [],
      problems: [expect.stringContaining("secret")],
    });
    expect(
      sinksFrom({ webhookUrl: receiver.url(), webhookSecret: SECRET, slackWebhookUrl: receiver.url() }, clock, fast).sinks.map(
        (s) => s.name,
      ),
    ).toEqual(["slack", "webhook"]);
  });
});
