import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { notifierFor } from "../../../lib/notify/notifiers.js";
import { loadConfig } from "../../../lib/runtime/config.js";
import { sampleEvent } from "../../support/session-fixture.js";

// The hand-off to the notify function is an AWS call moto cannot receive (no Lambda to invoke).
const lambda = mockClient(LambdaClient);
afterEach(() => lambda.reset());

const logger = () => ({ error: vi.fn(), warn: vi.fn() });

describe("the notify hand-off (deployed)", () => {
  it("invokes the notify function asynchronously with the event", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const notifier = notifierFor(loadConfig({ AWS_REGION: "eu-west-1", NOTIFY_FUNCTION_NAME: "ssm-knock-prod-notify" }), logger());
    const event = sampleEvent("session.opened");
    await notifier.notify(event);
    const [call] = lambda.commandCalls(InvokeCommand);
    expect(call.args[0].input).toMatchObject({ FunctionName: "ssm-knock-prod-notify", InvocationType: "Event" });
    expect(JSON.parse(Buffer.from(call.args[0].input.Payload as Uint8Array).toString())).toEqual(event);
  });

  it("logs a failed hand-off and never throws at the action", async () => {
    lambda.on(InvokeCommand).rejects(new Error("TooManyRequestsException"));
    const log = logger();
    const notifier = notifierFor(loadConfig({ NOTIFY_FUNCTION_NAME: "ssm-knock-prod-notify" }), log);
    await expect(notifier.notify(sampleEvent("session.closed"))).resolves.toBeUndefined();
    expect(log.error).toHaveBeenCalledWith(
      "notification not handed to the notify function",
      expect.objectContaining({ eventType: "session.closed" }),
    );
  });

  it("is silent, and loads nothing, when the deployment names no notify function", async () => {
    await notifierFor(loadConfig({}), logger()).notify(sampleEvent("session.opened"));
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });
});
