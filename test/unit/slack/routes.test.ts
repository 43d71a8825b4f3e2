import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../lib/runtime/config.js";
import { createDeps } from "../../../lib/runtime/deps.js";
import { CLOSE_ACTION, EXTEND_ACTION } from "../../../lib/slack/blocks.js";
import { manualClock } from "../../support/harness.js";
import { buttonForm, commandForm, SIGNING_SECRET, slackClient } from "../../support/slack.js";

const RESPONSE_URL = "http://127.0.0.1:9/response";
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined } as never;
const depsWith = (env: Record<string, string> = {}) => createDeps({ config: loadConfig(env), clock: manualClock(), logger: silent });

describe("Slack request signing", () => {
  it("accepts a correctly signed command and acknowledges it at once, deferring the work", async () => {
    const slack = slackClient(depsWith());
    const reply = await slack.command(commandForm("list", RESPONSE_URL));
    expect(reply).toMatchObject({ status: 200, body: { response_type: "ephemeral", text: expect.stringContaining("Looking") } });
    expect(slack.jobs).toEqual([
      {
        kind: "command",
        command: { kind: "list" },
        actor: { requester: "slack:T0001/U0001", userId: "U0001", channelId: "C0001" },
        responseUrl: RESPONSE_URL,
      },
    ]);
  });

  it.each([
    ["unsigned", { secret: null }],
    ["signed with another secret", { secret: "not-the-secret" }],
    ["older than 5 minutes", { timestamp: Math.floor(Date.parse("2026-11-30T10:00:00Z") / 1000) - 301 }],
    ["from the future", { timestamp: Math.floor(Date.parse("2026-11-30T10:00:00Z") / 1000) + 301 }],
  ])("refuses a command %s with 401 and does nothing", async (_, options) => {
    const slack = slackClient(depsWith());
    const reply = await slack.command(commandForm("open i-0123456789abcdef0", RESPONSE_URL), options);
    expect(reply.status).toBe(401);
    expect(reply.body.error.code).toBe("unauthorized");
    expect(slack.jobs).toEqual([]);
  });

  it("refuses a body changed after signing", async () => {
    const slack = slackClient(depsWith());
    const signedFor = commandForm("status vpc-0a1b2c3d4e5f60718", RESPONSE_URL);
    const timestamp = Math.floor(Date.parse("2026-11-30T10:00:00Z") / 1000);
    const { slackSignature } = await import("../../../lib/slack/signature.js");
    const reply = await slack.command(commandForm("close vpc-0a1b2c3d4e5f60718", RESPONSE_URL), {
      secret: null,
      headers: {
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": slackSignature(SIGNING_SECRET, timestamp, signedFor),
      },
    });
    expect(reply.status).toBe(401);
    expect(slack.jobs).toEqual([]);
  });

  it("refuses a replayed request within the 5 minutes", async () => {
    const slack = slackClient(depsWith());
    const body = commandForm("close vpc-0a1b2c3d4e5f60718", RESPONSE_URL);
    expect((await slack.command(body)).status).toBe(200);
    expect((await slack.command(body)).status).toBe(401);
    expect(slack.jobs).toHaveLength(1);
  });

  it("refuses everything when no signing secret is configured", async () => {
    const slack = slackClient(depsWith(), { secrets: async () => ({}) });
    expect((await slack.command(commandForm("help", RESPONSE_URL))).status).toBe(401);
  });

  it("applies the same rules to button presses", async () => {
    const slack = slackClient(depsWith());
    const body = buttonForm(CLOSE_ACTION, "vpc-0a1b2c3d4e5f60718", RESPONSE_URL);
    expect((await slack.interaction(body, { secret: "forged" })).status).toBe(401);
    expect(slack.jobs).toEqual([]);
    expect((await slack.interaction(body)).status).toBe(200);
    expect((await slack.interaction(body)).status).toBe(401);
    expect(slack.jobs).toHaveLength(1);
  });
});

describe("slash command input", () => {
  it("answers help at once without deferring anything", async () => {
    const slack = slackClient(depsWith({ SLACK_COMMAND: "/ssm" }));
    const reply = await slack.command(commandForm("help", RESPONSE_URL));
    expect(reply.body.text).toContain("`/ssm open <i-…|vpc-…> [ttl] [--restart-agent] [--account <id>] [reason…]`");
    expect(reply.body.text).toContain("`/ssm list`");
    expect(slack.jobs).toEqual([]);
  });

  it.each([
    ["frobnicate", "I don't know `frobnicate`"],
    ["open", "`open` needs an instance or VPC id"],
    ["open sg-0123456789abcdef0", "neither an instance id"],
    ["extend vpc-0a1b2c3d4e5f60718", "`extend` needs a duration"],
    ["extend vpc-0a1b2c3d4e5f60718 forever", "`extend` needs a duration"],
    ["close i-0123456789abcdef0", "sessions are named by their VPC id"],
    ["status", "`status` needs a session id"],
    ["list everything", "`list` takes no arguments"],
  ])("explains what is wrong with %j, with the usage, and changes nothing", async (text, hint) => {
    const slack = slackClient(depsWith());
    const reply = await slack.command(commandForm(text, RESPONSE_URL));
    expect(reply.status).toBe(200);
    expect(reply.body.response_type).toBe("ephemeral");
    expect(reply.body.text).toContain(hint);
    expect(reply.body.text).toContain("/knock open");
    expect(slack.jobs).toEqual([]);
  });

  it("defers each command that touches AWS with its parsed arguments", async () => {
    const slack = slackClient(depsWith());
    for (const text of [
      "open i-0123456789abcdef0 90m debug payments",
      "open vpc-0a1b2c3d4e5f60718",
      "extend vpc-0a1b2c3d4e5f60718 2",
      "close vpc-0a1b2c3d4e5f60718",
      "status vpc-0a1b2c3d4e5f60718",
      "list",
    ]) {
      expect((await slack.command(commandForm(text, RESPONSE_URL))).status).toBe(200);
    }
    expect(slack.jobs.map((job) => (job.kind === "command" ? job.command : job))).toEqual([
      { kind: "open", target: { instanceId: "i-0123456789abcdef0" }, ttl: "90m", reason: "debug payments" },
      { kind: "open", target: { vpcId: "vpc-0a1b2c3d4e5f60718" }, ttl: undefined, reason: undefined },
      { kind: "extend", id: "vpc-0a1b2c3d4e5f60718", ttl: 2 },
      { kind: "close", id: "vpc-0a1b2c3d4e5f60718" },
      { kind: "status", id: "vpc-0a1b2c3d4e5f60718" },
      { kind: "list" },
    ]);
  });

  it("turns away users and channels outside the allowlists", async () => {
    const slack = slackClient(depsWith({ SLACK_ALLOWED_USERS: "U0001,U0002", SLACK_ALLOWED_CHANNELS: "C0001" }));
    const stranger = await slack.command(commandForm("list", RESPONSE_URL, { user: "U0666" }));
    expect(stranger.body.text).toContain("not on ssm-knock's list");
    const elsewhere = await slack.command(commandForm("list", RESPONSE_URL, { user: "U0002", channel: "C0999" }));
    expect(elsewhere.body.text).toContain("does not take requests in this channel");
    expect(slack.jobs).toEqual([]);
    await slack.command(commandForm("list", RESPONSE_URL, { user: "U0002" }));
    expect(slack.jobs).toHaveLength(1);
  });

  it("says so, and changes nothing, when the work cannot be started", async () => {
    const slack = slackClient(depsWith(), {
      defer: async () => {
        throw new Error("Lambda unavailable");
      },
    });
    const reply = await slack.command(commandForm("close vpc-0a1b2c3d4e5f60718", RESPONSE_URL));
    expect(reply).toMatchObject({ status: 200, body: { text: expect.stringContaining("could not start") } });
  });
});

describe("buttons", () => {
  it("defer extend and close for the presser; a stranger gets a refusal at the response_url", async () => {
    const slack = slackClient(depsWith({ SLACK_ALLOWED_USERS: "U0001" }));
    await slack.interaction(buttonForm(EXTEND_ACTION, "vpc-0a1b2c3d4e5f60718", RESPONSE_URL));
    await slack.interaction(buttonForm(CLOSE_ACTION, "vpc-0a1b2c3d4e5f60718", RESPONSE_URL));
    await slack.interaction(buttonForm(CLOSE_ACTION, "vpc-0a1b2c3d4e5f60718", RESPONSE_URL, "U0666"));
    await slack.interaction(buttonForm("something.else", "vpc-0a1b2c3d4e5f60718", RESPONSE_URL));
    expect(slack.jobs).toEqual([
      {
        kind: "button",
        action: "extend",
        sessionId: "vpc-0a1b2c3d4e5f60718",
        actor: { requester: "slack:T0001/U0001", userId: "U0001", channelId: "C0001" },
        responseUrl: RESPONSE_URL,
      },
      {
        kind: "button",
        action: "close",
        sessionId: "vpc-0a1b2c3d4e5f60718",
        actor: { requester: "slack:T0001/U0001", userId: "U0001", channelId: "C0001" },
        responseUrl: RESPONSE_URL,
      },
      {
        kind: "reply",
        message: expect.objectContaining({ text: expect.stringContaining("not on ssm-knock's list") }),
        responseUrl: RESPONSE_URL,
      },
    ]);
  });
});
