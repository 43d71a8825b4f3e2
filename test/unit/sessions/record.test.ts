import { CloudFormationClient, UpdateStackCommand } from "@aws-sdk/client-cloudformation";
import { SchedulerClient, UpdateScheduleCommand } from "@aws-sdk/client-scheduler";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../../lib/runtime/config.js";
import { createDeps } from "../../../lib/runtime/deps.js";
import { applySpec } from "../../../lib/sessions/record.js";
import { manualClock } from "../../support/harness.js";
import { sampleSpec } from "../../support/session-fixture.js";

// A stack that is mid-update is something moto never shows (its updates are synchronous).
const cloudFormation = mockClient(CloudFormationClient);
const scheduler = mockClient(SchedulerClient);
afterEach(() => {
  cloudFormation.reset();
  scheduler.reset();
});

const spec = sampleSpec({ expiresAt: new Date("2026-11-30T13:00:00Z") });
const deps = () => createDeps({ config: loadConfig({ AWS_REGION: "us-east-1" }), clock: manualClock() });
const validation = (message: string) => Object.assign(new Error(message), { name: "ValidationError" });

const STACK = "ssm-knock-vpc-0a1b2c3d4e5f60718";
const PREVIOUS = new Date("2026-11-30T12:00:00Z");
const moves = () => scheduler.commandCalls(UpdateScheduleCommand).map((c) => c.args[0].input.ScheduleExpression);

describe("applySpec", () => {
  it("answers 409 session_busy while CloudFormation is still working on the stack, and puts the timer back", async () => {
    cloudFormation.on(UpdateStackCommand).rejects(validation(`Stack:${STACK} is in CREATE_IN_PROGRESS state and can not be updated.`));
    scheduler.on(UpdateScheduleCommand).resolves({});
    await expect(applySpec(deps(), spec, STACK, PREVIOUS)).rejects.toMatchObject({ status: 409, code: "session_busy" });
    // moved with the stack update (one round trip), then back to the expiry the stack still records
    expect(moves()).toEqual(["at(2026-11-30T13:00:00)", "at(2026-11-30T12:00:00)"]);
  });

  it("treats 'No updates are to be performed' as done and moves the timer in the same round trip", async () => {
    cloudFormation.on(UpdateStackCommand).rejects(validation("No updates are to be performed."));
    scheduler.on(UpdateScheduleCommand).resolves({});
    await applySpec(deps(), spec, STACK, PREVIOUS);
    expect(moves()).toEqual(["at(2026-11-30T13:00:00)"]);
  });

  it("passes any other failure on", async () => {
    cloudFormation.on(UpdateStackCommand).rejects(new Error("AccessDenied"));
    scheduler.on(UpdateScheduleCommand).resolves({});
    await expect(applySpec(deps(), spec, STACK, PREVIOUS)).rejects.toThrow("AccessDenied");
  });
});
