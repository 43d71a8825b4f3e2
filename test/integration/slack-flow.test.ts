import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { createHandler as expiringHandler } from "../../functions/notify-expiring.js";
import { createHandler as stackEventsHandler } from "../../functions/stack-events.js";
import { secretSourceFor } from "../../lib/aws/secrets.js";
import { backgroundNotifier } from "../../lib/notify/notifiers.js";
import { handleSessionEvent } from "../../lib/notify/pipeline.js";
import { verifyWebhookSignature } from "../../lib/notify/webhook-signature.js";
import { CLOSE_ACTION, EXTEND_ACTION } from "../../lib/slack/blocks.js";
import { backgroundDeferrer, runSlackJob } from "../../lib/slack/jobs.js";
import { attributed, runAs } from "../../local/aws-call-log.js";
import { StackWatcher } from "../../local/watcher.js";
import { lambdaContext, stackStatusEvent } from "../support/events.js";
import { testDeps } from "../support/harness.js";
import { inspector } from "../support/inspect.js";
import { buttonForm, commandForm, slackClient } from "../support/slack.js";
import { worldAndReceiverPerTest } from "../support/world-and-receiver.js";

const look = inspector();
const WEBHOOK_SECRET = "whsec-integration";
const fixture = worldAndReceiverPerTest();

/**
 * Local mode's wiring: background notifications and Slack jobs, each run as the function that runs
 * it in AWS (notify, slack-worker), and local mode's stack watcher standing in for CloudFormation's
 * status events, which AWS delivers to the stack-events function.
 */
function localWiring() {
  const deps = testDeps({ NOTIFY_RETRIES: "0", NOTIFY_TIMEOUT_MS: "2000" });
  const secrets = async () => ({
    slackWebhookUrl: fixture.receiver.url("/slack-hook"),
    webhookUrl: fixture.receiver.url("/hook"),
    webhookSecret: WEBHOOK_SECRET,
  });
  const notifier = backgroundNotifier((event) => runAs("notify", () => handleSessionEvent(deps, secrets, event)), deps.logger);
  deps.notifier = notifier;
  const deferrer = backgroundDeferrer(
    attributed("slackWorker", (job) => runSlackJob(deps, job)),
    deps.logger,
  );
  const slack = slackClient(deps, { defer: deferrer.defer });
  const watcher = new StackWatcher(deps, () => undefined);
  const settle = async () => {
    await deferrer.settled();
    await notifier.settled();
    await watcher.poll();
    await notifier.settled();
  };
  const replies = () => fixture.receiver.on("/response").map((r) => r.json);
  const hooks = () => fixture.receiver.on("/hook").map((r) => r.json);
  return { deps, slack, settle, replies, hooks };
}

describe("Slack, end to end against moto", () => {
  it("opens, reports ready, shows, lists, extends, warns and closes, telling the webhooks each step", async () => {
    const { deps, slack, settle, replies, hooks } = localWiring();
    const responseUrl = fixture.receiver.url("/response");
    const vpc = fixture.world.vpcId;

    const ack = await slack.command(commandForm(`open ${fixture.world.instanceIds[0]} 2h debug payments`, responseUrl));
    expect(ack.body.text).toContain(`Opening Session Manager access to \`${fixture.world.instanceIds[0]}\` for 2h`);
    await settle();
    expect(replies()[0].text).toContain(`Opening Session Manager access to \`${vpc}\``);
    expect(replies()[0].replace_original).toBe(false);
    expect(hooks().map((h) => h.type)).toEqual(["session.opened", "session.ready"]);
    expect(hooks()[0].session).toMatchObject({
      id: vpc,
      requestedBy: "slack:T0001/U0001",
      reason: "debug payments",
      expiresAt: "2026-11-30T12:00:00Z",
    });
    expect(fixture.receiver.on("/slack-hook").map((r) => r.json.text)).toEqual([
      expect.stringContaining("<@U0001> opened"),
      expect.stringContaining("is ready"),
    ]);
    const signed = fixture.receiver.on("/hook")[0];
    expect(verifyWebhookSignature(WEBHOOK_SECRET, signed.body, String(signed.headers["x-ssm-knock-signature"]), Date.now() / 1000)).toBe(
      true,
    );
    // The expiring warning is armed 15 minutes before the expiry, aimed at the notify-expiring function.
    const warn = await look.schedule(`ssm-knock-warn-${vpc}`);
    expect(warn.ScheduleExpression).toBe("at(2026-11-30T11:45:00)");
    expect(warn.Target?.Arn).toBe(deps.config.notify.warnFunctionArn);

    await slack.command(commandForm(`status ${vpc}`, responseUrl));
    await settle();
    await slack.command(commandForm("list", responseUrl));
    await settle();
    expect(replies()[1].text).toContain("is *ready*");
    expect(JSON.stringify(replies()[1].blocks)).toContain("Extend 1h");
    expect(JSON.stringify(replies()[2].blocks)).toContain(
      `\`${vpc}\` (us-east-1) *ready*, until 2026-11-30 12:00 UTC (in 2h), by <@U0001>`,
    );

    await slack.command(commandForm(`extend ${vpc} 3h`, responseUrl));
    await settle();
    expect(replies()[3].text).toContain("now closes 2026-11-30 13:00 UTC (in 3h)");
    expect(hooks().at(-1)).toMatchObject({
      type: "session.extended",
      actor: "slack:T0001/U0001",
      session: { expiresAt: "2026-11-30T13:00:00Z" },
    });
    expect((await look.schedule(`ssm-knock-warn-${vpc}`)).ScheduleExpression).toBe("at(2026-11-30T12:45:00)");

    // "Extend 1h" adds an hour to the current expiry, whoever presses it.
    await slack.interaction(buttonForm(EXTEND_ACTION, vpc, responseUrl, "U0002"));
    await settle();
    expect(replies()[4].text).toContain("now closes 2026-11-30 14:00 UTC");
    expect(hooks().at(-1)).toMatchObject({ type: "session.extended", actor: "slack:T0001/U0002" });

    // The warn timer fires: a stale one (before the extension) stays silent, the current one warns.
    const fire = attributed(
      "notifyExpiring",
      expiringHandler(() => deps),
    );
    const timer = { action: "warn", sessionId: vpc, region: "us-east-1", stackName: `ssm-knock-${vpc}` };
    deps.clock.set(new Date("2026-11-30T11:45:00Z"));
    expect(await fire(timer, lambdaContext)).toBe("stale");
    deps.clock.set(new Date("2026-11-30T13:45:00Z"));
    expect(await fire(timer, lambdaContext)).toBe("notified");
    await settle();
    expect(hooks().at(-1)).toMatchObject({ type: "session.expiring", actor: "ssm-knock" });
    expect(fixture.receiver.on("/slack-hook").at(-1)?.json.text).toContain("ends in 15m");

    await slack.interaction(buttonForm(CLOSE_ACTION, vpc, responseUrl));
    await settle();
    expect(replies()[5].text).toContain(`Closing \`${vpc}\``);
    expect(hooks().at(-1)).toMatchObject({ type: "session.closed", reason: "closed", actor: "slack:T0001/U0001" });
    expect(await look.scheduleNames()).toEqual([]);
    expect(await look.liveStacks()).toEqual([]);
  });

  it("answers a command that fails with the domain's advice, never a stack trace", async () => {
    const { slack, settle, replies, hooks } = localWiring();
    const responseUrl = fixture.receiver.url("/response");
    for (const text of ["status vpc-0a1b2c3d4e5f60718", "open i-0123456789abcdef0 1h", `open ${fixture.world.instanceIds[0]} 3d`]) {
      await slack.command(commandForm(text, responseUrl));
      await settle();
    }
    expect(replies().map((r) => r.text)).toEqual([
      ":warning: There is no session for vpc-0a1b2c3d4e5f60718.",
      ":warning: Instance i-0123456789abcdef0 was not found in this region; check the id and the region.",
      expect.stringMatching(/^:warning: ttl must be between 15m and 12h/),
    ]);
    expect(hooks()).toEqual([]);
    expect(await look.liveStacks()).toEqual([]);
  });

  it("reports a failed stack from CloudFormation's status event", async () => {
    const { deps, slack, settle, hooks } = localWiring();
    await slack.command(commandForm(`open ${fixture.world.instanceIds[0]}`, fixture.receiver.url("/response")));
    await settle();
    const handle = attributed(
      "stackEvents",
      stackEventsHandler(() => deps),
    );
    const event = (status: string, name = `ssm-knock-${fixture.world.vpcId}`) =>
      stackStatusEvent(name, status, "The following resource(s) failed to create: [SsmEndpoint].");
    // Told once, when the rollback has settled (the rule local mode's watcher shares).
    expect(await handle(event("ROLLBACK_IN_PROGRESS"), lambdaContext)).toBe("ignored");
    expect(await handle(event("ROLLBACK_COMPLETE"), lambdaContext)).toBe("failed");
    expect(await handle(event("UPDATE_IN_PROGRESS"), lambdaContext)).toBe("ignored");
    expect(await handle(event("CREATE_COMPLETE", "someone-elses-stack"), lambdaContext)).toBe("ignored");
    await settle();
    expect(hooks().at(-1)).toMatchObject({ type: "session.failed", reason: "The following resource(s) failed to create: [SsmEndpoint]." });
  });
});

describe("secrets from SSM Parameter Store", () => {
  it("reads the SecureString parameters under the path, and leaves out what is not there", async () => {
    const ssm = new SSMClient({ region: "us-east-1" });
    await ssm.send(new PutParameterCommand({ Name: "/apps/ssm-knock/test/slack-signing-secret", Value: "s3cr3t", Type: "SecureString" }));
    await ssm.send(
      new PutParameterCommand({ Name: "/apps/ssm-knock/test/webhook-url", Value: "https://example.com/hook", Type: "SecureString" }),
    );
    await ssm.send(new PutParameterCommand({ Name: "/apps/ssm-knock/other/webhook-secret", Value: "not ours", Type: "SecureString" }));
    // Read the way the functions read them: through their deps' SSM client, from the configured path.
    const deps = testDeps({ SECRETS_PARAMETER_PATH: "/apps/ssm-knock/test" });
    expect(await runAs("notify", () => secretSourceFor(deps)())).toEqual({
      slackSigningSecret: "s3cr3t",
      webhookUrl: "https://example.com/hook",
    });
  });
});
