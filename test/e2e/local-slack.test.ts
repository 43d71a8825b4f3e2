import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyWebhookSignature } from "../../lib/notify/webhook-signature.js";
import { slackSignature } from "../../lib/slack/signature.js";
import { type LocalProcess, startLocalProcess } from "../support/local-process.js";
import { type Receiver, startReceiver } from "../support/receiver.js";
import { commandForm } from "../support/slack.js";

const SIGNING_SECRET = "e2e-signing-secret";
const WEBHOOK_SECRET = "e2e-webhook-secret";
let local: LocalProcess;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  local = await startLocalProcess([], {
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_WEBHOOK_URL: receiver.url("/slack-hook"),
    WEBHOOK_URL: receiver.url("/hook"),
    WEBHOOK_SECRET,
  });
});

afterAll(async () => {
  await local?.stop();
  await receiver?.close();
});

/** Posts a slash command to local mode as Slack would, signed unless told otherwise. */
async function command(text: string, secret = SIGNING_SECRET) {
  const body = commandForm(text, receiver.url("/response"));
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await fetch(`${local.url}/slack/commands`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": slackSignature(secret, timestamp, body),
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

describe("local mode wires Slack and webhooks, as a person pointing a Slack app at it would see", () => {
  it("refuses a forged command with 401, then opens once for the signed one: results to Slack, signed events to the webhook", async () => {
    const forged = await command(`open ${local.instanceIds[0]} 1h forged request`, "not-the-secret");
    expect(forged.status).toBe(401);
    const ack = await command(`open ${local.instanceIds[0]} 1h e2e via slack`);
    expect(ack.status).toBe(200);

    await receiver.waitForPath("/response", 1, 30_000);
    expect(receiver.on("/response")[0]?.body).toContain(local.vpcId);
    const types = () => receiver.on("/hook").map((r) => r.json.type);
    const deadline = Date.now() + 30_000;
    while (!types().includes("session.ready") && Date.now() < deadline) await receiver.waitForPath("/hook", types().length + 1, 30_000);
    // Both opens would run one after the other under the VPC's lock, the forged one first: by the
    // time the signed one is ready, a wrongly accepted forged open would have opened (or joined).
    expect(types().filter((type) => type === "session.opened")).toHaveLength(1);
    expect(receiver.on("/response")).toHaveLength(1);
    const { session } = (await (await fetch(`${local.url}/sessions/${local.vpcId}`)).json()) as { session: unknown };
    expect(session).toMatchObject({ reason: "e2e via slack", requesters: ["slack:T0001/U0001"] });
    // Nothing that went out, to Slack or to the webhook, came from the forged request.
    expect(receiver.received.filter((r) => r.body.includes("forged request"))).toEqual([]);
    for (const hook of receiver.on("/hook")) {
      expect(
        verifyWebhookSignature(WEBHOOK_SECRET, hook.body, String(hook.headers["x-ssm-knock-signature"]), Math.floor(Date.now() / 1000)),
      ).toBe(true);
    }
    expect(receiver.on("/slack-hook").map((r) => r.json.text)).toEqual(expect.arrayContaining([expect.stringContaining("is ready")]));
  });
});
