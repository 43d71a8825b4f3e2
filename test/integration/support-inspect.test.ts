import { CreateStackCommand } from "@aws-sdk/client-cloudformation";
import { CreateScheduleCommand } from "@aws-sdk/client-scheduler";
import { describe, expect, it } from "vitest";
import { faultProxyForFile } from "../support/fault-proxy-file.js";
import { inspector } from "../support/inspect.js";

// The inspector is what ~110 "nothing created" and invariant checks read: it must never report
// "none" because a listing failed, and it must read every page.

const proxy = await faultProxyForFile();

describe("the test inspector", () => {
  it("throws when ListSchedules fails, instead of reading it as no schedules", async () => {
    process.env.AWS_ENDPOINT_URL = proxy.url;
    proxy.inject({ service: "scheduler", action: "ListSchedules", reply: "deny" });
    await expect(inspector().scheduleNames()).rejects.toMatchObject({ name: "AccessDeniedException" });
  });

  it("has no schedules only for a group that does not exist", async () => {
    expect(await inspector().scheduleNames("no-such-group")).toEqual([]);
  });

  it("reads every page of schedules and stacks (moto pages both at 50)", async () => {
    const look = inspector();
    const target = { Arn: "arn:aws:lambda:us-east-1:123456789012:function:f", RoleArn: "arn:aws:iam::123456789012:role/r" };
    for (let i = 0; i < 55; i++) {
      await look.scheduler.send(
        new CreateScheduleCommand({
          Name: `page-${i}`,
          GroupName: "ssm-knock",
          ScheduleExpression: "at(2030-01-01T00:00:00)",
          FlexibleTimeWindow: { Mode: "OFF" },
          Target: target,
        }),
      );
      await look.cloudFormation.send(
        new CreateStackCommand({
          StackName: `page-${i}`,
          TemplateBody: '{"Resources":{"H":{"Type":"AWS::CloudFormation::WaitConditionHandle"}}}',
        }),
      );
    }
    expect(await look.scheduleNames()).toHaveLength(55);
    expect(await look.liveStacks()).toHaveLength(55);
  });
});
