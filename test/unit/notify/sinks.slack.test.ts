import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SessionEventType } from "../../../lib/core/session-events.js";
import { backgroundNotifier } from "../../../lib/notify/notifiers.js";
import { handleSessionEvent } from "../../../lib/notify/pipeline.js";
import { slackWebhookSink } from "../../../lib/notify/sinks.js";
import { loadConfig } from "../../../lib/runtime/config.js";
import { createDeps } from "../../../lib/runtime/deps.js";
import { CLOSE_ACTION, EXTEND_ACTION } from "../../../lib/slack/blocks.js";
import type { SlackMessage } from "../../../lib/slack/message.js";
import { type Receiver, startReceiver } from "../../support/receiver.js";
import { NOW, sampleEvent, sampleSession } from "../../support/session-fixture.js";

const clock = () => NOW;
const fast = { timeoutMs: 300, retries: 1, minBackoffMs: 10 };
const silentLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

const allText = (message: SlackMessage) => JSON.stringify(message.blocks);
const received = (index = 0) => receiver.received[index].json as SlackMessage;

describe("Slack incoming webhook", () => {
  it("says who, where, until when (UTC and relative), how to connect and what it costs, with working buttons", async () => {
    await slackWebhookSink(receiver.url("/slack"), clock, fast).send(sampleEvent("session.opened"));
    const message = received();
    expect(message.text).toContain("<@U0001> opened Session Manager access to `vpc-0a1b2c3d4e5f60718`");
    const text = allText(message);
    expect(text).toContain("`vpc-0a1b2c3d4e5f60718` (us-east-1)");
    expect(text).toContain("`i-0123456789abcdef0`");
    expect(text).toContain("*Requested by*\\n<@U0001>");
    expect(text).toContain("2026-11-30 12:00 UTC (in 1h 45m)");
    expect(text).toContain("aws ssm start-session --target i-0123456789abcdef0 --region us-east-1");
    expect(text).toContain("USD 0.06");
    // The reason is a person's text: no mention or link can be smuggled in.
    expect(text).toContain("debug &lt;payments&gt; &amp; co");
    const actions = message.blocks?.find((block) => block.type === "actions");
    expect(actions?.elements.map((b) => [b.action_id, b.text.text, b.value])).toEqual([
      [EXTEND_ACTION, "Extend 1h", "vpc-0a1b2c3d4e5f60718"],
      [CLOSE_ACTION, "Close now", "vpc-0a1b2c3d4e5f60718"],
    ]);
  });

  it.each<[SessionEventType, Record<string, string>, string]>([
    ["session.ready", {}, "is ready"],
    ["session.expiring", {}, "ends in 1h 45m"],
    ["session.extended", {}, "<@U0001> extended"],
    ["session.closed", { reason: "expired" }, "is closed: it expired"],
    ["session.closed", { reason: "swept", actor: "ssm-knock" }, "is closed: the sweeper removed it"],
    ["session.closed", { reason: "closed", actor: "arn:aws:iam::123456789012:user/bob" }, "closed by `arn:aws:iam::123456789012:user/bob`"],
    ["session.failed", { reason: "Resource creation cancelled" }, "failed: Resource creation cancelled"],
  ])("words %s (%j) so people know what happened", async (type, extra, words) => {
    const closed = type === "session.closed" || type === "session.failed";
    const event = sampleEvent(type, {
      ...extra,
      session: sampleSession({ status: closed ? (type === "session.failed" ? "failed" : "closing") : "ready" }),
    });
    await slackWebhookSink(receiver.url(), clock, fast).send(event);
    const message = received();
    expect(message.text).toContain(words);
    // Buttons only while there is something to extend or close.
    expect(message.blocks?.some((block) => block.type === "actions")).toBe(!closed);
  });
});

describe("a dead sink", () => {
  it("neither fails nor delays the action, and is logged", async () => {
    receiver.answer("hang", "hang");
    const warnings: unknown[] = [];
    const logger = { ...silentLog, warn: (...args: unknown[]) => warnings.push(args) };
    const deps = createDeps({
      config: loadConfig({ NOTIFY_TIMEOUT_MS: "200", NOTIFY_RETRIES: "1" }),
      clock,
      logger: logger as never,
    });
    const secrets = async () => ({ slackWebhookUrl: receiver.url("/dead") });
    const notifier = backgroundNotifier((event) => handleSessionEvent(deps, secrets, event), logger);
    await notifier.notify(sampleEvent("session.closed", { reason: "expired", session: sampleSession({ status: "closing" }) }));
    // The action got its answer while the delivery is still waiting on the dead sink (how fast
    // that answer comes is the bench's to measure, not a test's).
    expect(warnings).toEqual([]);
    await notifier.settled();
    expect(receiver.received).toHaveLength(2);
    expect(JSON.stringify(warnings)).toContain("no answer within 200 ms after 2 attempts");
    expect(JSON.stringify(warnings)).not.toContain(receiver.url());
  });
});
