import { EC2Client } from "@aws-sdk/client-ec2";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHandler as notifyHandler } from "../../functions/notify.js";
import { createHandler as commandsHandler } from "../../functions/slack-commands.js";
import { createHandler as interactionsHandler } from "../../functions/slack-interactions.js";
import { createHandler as workerHandler } from "../../functions/slack-worker.js";
import { lambdaNotifier, notifierFor } from "../../lib/notify/notifiers.js";
import { verifyWebhookSignature } from "../../lib/notify/webhook-signature.js";
import type { Deps } from "../../lib/runtime/deps.js";
import { CLOSE_ACTION } from "../../lib/slack/blocks.js";
import { slackSignature } from "../../lib/slack/signature.js";
import { attributed } from "../../local/aws-call-log.js";
import { type DemoWorld, seedWorld } from "../../local/seed.js";
import { apiEvent, lambdaContext } from "../support/events.js";
import { faultProxyForFile } from "../support/fault-proxy-file.js";
import { testDeps } from "../support/harness.js";
import { inspector } from "../support/inspect.js";
import { type Receiver, startReceiver } from "../support/receiver.js";
import { sampleEvent } from "../support/session-fixture.js";
import { buttonForm, commandForm } from "../support/slack.js";
import { gate } from "../support/throttle-proxy.js";

// The deployed hand-offs, wired as serverless.yml wires them: the Slack routes acknowledge and
// hand the job to slack-worker, and every action hands its session event to notify, each with an
// asynchronous Lambda Invoke (InvocationType Event) sent by the real SDK to moto's Lambda, which
// holds the functions and accepts the invocation with 202. moto cannot run a function without
// Docker and keeps no payload, so the fault proxy in front of it records each invocation moto
// accepted, and the test runs the real handler of the invoked function on that payload, as
// Lambda would. Secrets come from SSM Parameter Store in moto, as deployed.

const STAGE_PATH = "/apps/ssm-knock/dev/";
const WORKER = "ssm-knock-dev-slack-worker";
const NOTIFY = "ssm-knock-dev-notify";
const SIGNING_SECRET = "hand-off-signing-secret";
const WEBHOOK_SECRET = "hand-off-webhook-secret";
const ENV = { SLACK_WORKER_FUNCTION_NAME: WORKER, NOTIFY_FUNCTION_NAME: NOTIFY, SECRETS_PARAMETER_PATH: STAGE_PATH };

const look = inspector();
const proxy = await faultProxyForFile();
let receiver: Receiver;
let world: DemoWorld;

/** The deployment's two asynchronous targets, in moto (setup, not calls of a function). */
async function deployFunctions(): Promise<void> {
  const { Role } = await new IAMClient({ region: "us-east-1" }).send(
    new CreateRoleCommand({
      RoleName: "ssm-knock-dev-functions",
      AssumeRolePolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    }),
  );
  const lambda = new LambdaClient({ region: "us-east-1" });
  for (const FunctionName of [WORKER, NOTIFY]) {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName,
        Runtime: "nodejs22.x",
        Role: Role?.Arn,
        Handler: "index.handler",
        // moto stores the code without reading it: it cannot run it anyway.
        Code: { ZipFile: Buffer.from("the real code runs in the test process") },
      }),
    );
  }
}

beforeEach(async () => {
  world = await seedWorld(new EC2Client({ region: "us-east-1" }), { region: "us-east-1" });
  receiver = await startReceiver();
  await deployFunctions();
  const ssm = new SSMClient({ region: "us-east-1" });
  const secrets = {
    "slack-signing-secret": SIGNING_SECRET,
    "slack-webhook-url": receiver.url("/slack-hook"),
    "webhook-url": receiver.url("/hook"),
    "webhook-secret": WEBHOOK_SECRET,
  };
  for (const [name, Value] of Object.entries(secrets)) {
    await ssm.send(new PutParameterCommand({ Name: `${STAGE_PATH}${name}`, Value, Type: "SecureString" }));
  }
  // From here on every AWS call of the functions, the Lambda hand-offs included, goes through the proxy.
  process.env.AWS_ENDPOINT_URL = proxy.url;
});
afterEach(async () => {
  await receiver.close();
});

/** A function's deps as lambdaDeps builds them: its config, and the notify hand-off when it emits events. */
function functionDeps(emitsEvents: boolean): Deps {
  const deps = testDeps(ENV);
  return emitsEvents ? { ...deps, notifier: notifierFor(deps.config, deps.logger) } : deps;
}

/** A form post signed as Slack signs it (real time: the routes check Slack's timestamp against the wall clock). */
function slackEvent(path: string, form: string) {
  const timestamp = Math.floor(Date.now() / 1000);
  const event = apiEvent("POST", path, undefined, {
    caller: null,
    rawBody: Buffer.from(form).toString("base64"),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": slackSignature(SIGNING_SECRET, timestamp, form),
    },
  });
  event.isBase64Encoded = true;
  return event;
}

/** The invocations of `functionName` that moto accepted since `from`, as Lambda would deliver them. */
function accepted(functionName: string, from = 0) {
  return proxy.invocations.slice(from).filter((invocation) => invocation.functionName === functionName);
}

/** Lambda runs the invoked function on the payload it accepted: here, its real handler in this process. */
async function deliver(functionName: string, from: number): Promise<unknown> {
  const [invocation, ...more] = accepted(functionName, from);
  expect(invocation, `an invocation of ${functionName}`).toBeDefined();
  expect(more).toEqual([]);
  expect(invocation).toMatchObject({ invocationType: "Event", status: 202 });
  const payload = JSON.parse(invocation.payload);
  if (functionName === WORKER)
    return attributed(
      "slackWorker",
      workerHandler(() => functionDeps(true)),
    )(payload, lambdaContext);
  return attributed(
    "notify",
    notifyHandler(() => functionDeps(false)),
  )(payload, lambdaContext);
}

describe("the deployed hand-offs, through moto's Lambda", () => {
  it("a slash command: acknowledged at once, finished by slack-worker, its event delivered by notify", async () => {
    const commands = attributed(
      "slackCommands",
      commandsHandler(() => functionDeps(false)),
    );
    const ack = await commands(
      slackEvent("/slack/commands", commandForm(`open ${world.instanceIds[0]} 2h hand-off`, receiver.url("/response"))),
      lambdaContext,
    );
    expect(ack.statusCode).toBe(200);
    // The acknowledgement did no work of its own: the job went to slack-worker, and nothing exists yet.
    expect(accepted(WORKER)).toHaveLength(1);
    expect(await look.liveStacks()).toEqual([]);
    expect(JSON.parse(accepted(WORKER)[0].payload)).toMatchObject({
      kind: "command",
      command: { kind: "open", target: { instanceId: world.instanceIds[0] } },
      actor: { requester: "slack:T0001/U0001" },
    });

    const notified = proxy.invocations.length;
    await deliver(WORKER, 0);
    expect((await look.liveStacks()).map((s) => s.StackName)).toEqual([`ssm-knock-${world.vpcId}`]);
    await receiver.waitForPath("/response");
    expect(receiver.on("/response")[0].json.text).toContain(world.vpcId);
    expect(JSON.parse(accepted(NOTIFY, notified)[0].payload)).toMatchObject({ type: "session.opened", session: { id: world.vpcId } });

    await deliver(NOTIFY, notified);
    const [hook] = receiver.on("/hook");
    expect(hook.json).toMatchObject({ type: "session.opened", actor: "slack:T0001/U0001", session: { reason: "hand-off" } });
    expect(verifyWebhookSignature(WEBHOOK_SECRET, hook.body, String(hook.headers["x-ssm-knock-signature"]), Date.now() / 1000)).toBe(true);
    expect(receiver.on("/slack-hook")[0].json.text).toContain("opened Session Manager access");
    // notify armed the expiring warning, 15 minutes before the expiry
    expect((await look.schedule(`ssm-knock-warn-${world.vpcId}`)).ScheduleExpression).toBe("at(2026-11-30T11:45:00)");
  });

  it("a button: the Close press is acknowledged, slack-worker closes, notify tells the webhooks", async () => {
    const opened = await attributed(
      "slackWorker",
      workerHandler(() => functionDeps(true)),
    )(
      {
        kind: "command",
        command: { kind: "open", target: { vpcId: world.vpcId } },
        actor: { requester: "slack:T0001/U0001", userId: "U0001", channelId: "C0001" },
        responseUrl: receiver.url("/response"),
      },
      lambdaContext,
    );
    expect(opened).toBeUndefined();
    const from = proxy.invocations.length;
    const interactions = attributed(
      "slackInteractions",
      interactionsHandler(() => functionDeps(false)),
    );
    const ack = await interactions(
      slackEvent("/slack/interactions", buttonForm(CLOSE_ACTION, world.vpcId, receiver.url("/response"))),
      lambdaContext,
    );
    expect(ack.statusCode).toBe(200);
    expect(JSON.parse(accepted(WORKER, from)[0].payload)).toMatchObject({ kind: "button", action: "close", sessionId: world.vpcId });
    expect(await look.liveStacks()).toHaveLength(1);

    const afterPress = proxy.invocations.length;
    await deliver(WORKER, from);
    expect(await look.liveStacks()).toEqual([]);
    expect(await look.scheduleNames()).toEqual([]);
    await deliver(NOTIFY, afterPress);
    expect(receiver.on("/hook").map((h) => [h.json.type, h.json.reason])).toEqual([["session.closed", "closed"]]);
  });

  it("an event the notify function cannot take is logged, and the action still succeeds", async () => {
    // No such function: Lambda (moto) refuses the invocation with ResourceNotFoundException.
    const deps = testDeps({ ...ENV, NOTIFY_FUNCTION_NAME: "ssm-knock-dev-gone" });
    const errors: unknown[][] = [];
    const log = { error: (...args: unknown[]) => errors.push(args), warn: () => undefined };
    const worker = attributed(
      "slackWorker",
      workerHandler(() => ({ ...deps, notifier: notifierFor(deps.config, log) })),
    );
    await worker(
      {
        kind: "command",
        command: { kind: "open", target: { vpcId: world.vpcId } },
        actor: { requester: "slack:T0001/U0001", userId: "U0001", channelId: "C0001" },
        responseUrl: receiver.url("/response"),
      },
      lambdaContext,
    );
    expect((await look.liveStacks()).map((s) => s.StackName)).toEqual([`ssm-knock-${world.vpcId}`]);
    expect(proxy.invocations).toEqual([expect.objectContaining({ functionName: "ssm-knock-dev-gone", status: 404 })]);
    expect(errors).toEqual([
      ["notification not handed to the notify function", expect.objectContaining({ eventType: "session.opened", sessionId: world.vpcId })],
    ]);
  });

  it("a hand-off Lambda does not acknowledge in time is given up after its timeout and logged, never thrown", async () => {
    const held = gate();
    proxy.hook({ calls: ["lambda:Invoke"], before: held.hold });
    const errors: unknown[][] = [];
    const notifier = lambdaNotifier(
      new LambdaClient({ region: "us-east-1", maxAttempts: 1 }),
      NOTIFY,
      {
        error: (...args: unknown[]) => errors.push(args),
        warn: () => undefined,
      },
      200,
    );
    await expect(notifier.notify(sampleEvent("session.closed"))).resolves.toBeUndefined();
    expect(held.waiting).toBe(1);
    expect(errors).toEqual([["notification not handed to the notify function", expect.objectContaining({ eventType: "session.closed" })]]);
    held.open();
  });

  it("a Slack job that Lambda does not accept is answered with a retry advice, and nothing runs", async () => {
    const commands = attributed(
      "slackCommands",
      commandsHandler(() => testDeps({ ...ENV, SLACK_WORKER_FUNCTION_NAME: "ssm-knock-dev-gone" })),
    );
    const ack = await commands(
      slackEvent("/slack/commands", commandForm(`open ${world.instanceIds[0]}`, receiver.url("/response"))),
      lambdaContext,
    );
    // A refused hand-off is not a failure to show Slack as one: the requester is told nothing changed.
    expect(ack.statusCode).toBe(200);
    expect(JSON.parse(ack.body ?? "{}").text).toContain("nothing was changed");
    expect(proxy.invocations).toEqual([expect.objectContaining({ functionName: "ssm-knock-dev-gone", status: 404 })]);
    expect(await look.liveStacks()).toEqual([]);
  });
});
