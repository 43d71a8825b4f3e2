import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  type Stack,
} from "@aws-sdk/client-cloudformation";
import { DeleteScheduleCommand, ListSchedulesCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../../lib/runtime/config.js";
import { createDeps } from "../../../lib/runtime/deps.js";
import { sweep } from "../../../lib/sweep/sweep.js";
import { manualClock } from "../../support/harness.js";

// What moto cannot show (DELETE_FAILED, rollback states, DescribeStacks paging) is tested here,
// at the client boundary.
const cloudFormation = mockClient(CloudFormationClient);
const scheduler = mockClient(SchedulerClient);

const stack = (vpc: string, status: string, expiresAt = "2026-11-30T09:00:00Z"): Stack => ({
  StackName: `ssm-knock-${vpc}`,
  StackStatus: status as Stack["StackStatus"],
  CreationTime: new Date("2026-11-30T08:00:00Z"),
  Tags: [{ Key: "ssm-knock:managed", Value: "true" }],
  Parameters: [
    { ParameterKey: "VpcId", ParameterValue: vpc },
    { ParameterKey: "ExpiresAt", ParameterValue: expiresAt },
  ],
});

const deps = () => createDeps({ config: loadConfig({ AWS_REGION: "us-east-1" }), clock: manualClock() });

beforeEach(() => {
  cloudFormation.reset();
  scheduler.reset();
  scheduler.on(ListSchedulesCommand).resolves({ Schedules: [] });
  scheduler.on(DeleteScheduleCommand).resolves({});
  cloudFormation.on(DeleteStackCommand).resolves({});
});
afterEach(() => {
  cloudFormation.reset();
  scheduler.reset();
});

describe("the sweeper at the client boundary", () => {
  it("retries a DELETE_FAILED stack plainly while an endpoint is still there", async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [stack("vpc-0000000a", "DELETE_FAILED")] });
    cloudFormation.on(DescribeStackResourcesCommand).resolves({
      StackResources: [
        { LogicalResourceId: "SsmEndpoint", ResourceType: "AWS::EC2::VPCEndpoint", ResourceStatus: "DELETE_FAILED" } as never,
        { LogicalResourceId: "EndpointSecurityGroup", ResourceType: "AWS::EC2::SecurityGroup", ResourceStatus: "DELETE_FAILED" } as never,
      ],
    });
    expect(await sweep(deps())).toMatchObject({ deleteRetried: 1, errors: 0 });
    const [call] = cloudFormation.commandCalls(DeleteStackCommand);
    expect(call.args[0].input).toMatchObject({ StackName: "ssm-knock-vpc-0000000a" });
    expect(call.args[0].input.RetainResources).toBeUndefined();
  });

  it("retains only the failed, free resources once every endpoint is gone", async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [stack("vpc-0000000b", "DELETE_FAILED")] });
    cloudFormation.on(DescribeStackResourcesCommand).resolves({
      StackResources: [
        { LogicalResourceId: "SsmEndpoint", ResourceType: "AWS::EC2::VPCEndpoint", ResourceStatus: "DELETE_COMPLETE" } as never,
        { LogicalResourceId: "EndpointSecurityGroup", ResourceType: "AWS::EC2::SecurityGroup", ResourceStatus: "DELETE_FAILED" } as never,
        {
          LogicalResourceId: "SourceGroupIngress0",
          ResourceType: "AWS::EC2::SecurityGroupIngress",
          ResourceStatus: "DELETE_COMPLETE",
        } as never,
      ],
    });
    await sweep(deps());
    const [call] = cloudFormation.commandCalls(DeleteStackCommand);
    expect(call.args[0].input.RetainResources).toEqual(["EndpointSecurityGroup"]);
  });

  it("deletes stacks whose creation failed or rolled back, and removes their timers", async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        stack("vpc-0000000c", "ROLLBACK_COMPLETE", "2026-12-31T00:00:00Z"),
        stack("vpc-0000000d", "CREATE_FAILED", "2026-12-31T00:00:00Z"),
      ],
    });
    expect(await sweep(deps())).toMatchObject({ failedDeleted: 2, expiredDeleted: 0 });
    expect(
      cloudFormation
        .commandCalls(DeleteStackCommand)
        .map((c) => c.args[0].input.StackName)
        .sort(),
    ).toEqual(["ssm-knock-vpc-0000000c", "ssm-knock-vpc-0000000d"]);
    expect(scheduler.commandCalls(DeleteScheduleCommand).length).toBe(4);
  });

  it("pages through every stack and every schedule", async () => {
    cloudFormation
      .on(DescribeStacksCommand, { NextToken: undefined })
      .resolves({
        Stacks: [
          stack("vpc-00000001", "CREATE_COMPLETE"),
          { StackName: "someone-else", StackStatus: "CREATE_COMPLETE", CreationTime: new Date() },
        ],
        NextToken: "p2",
      })
      .on(DescribeStacksCommand, { NextToken: "p2" })
      .resolves({ Stacks: [stack("vpc-00000002", "UPDATE_COMPLETE")] });
    scheduler
      .on(ListSchedulesCommand, { NextToken: undefined })
      .resolves({ Schedules: [{ Name: "ssm-knock-expire-vpc-00000009" }], NextToken: "s2" })
      .on(ListSchedulesCommand, { NextToken: "s2" })
      .resolves({ Schedules: [{ Name: "ssm-knock-warn-vpc-00000009" }, { Name: "not-ours" }] });
    expect(await sweep(deps())).toMatchObject({ stacksSeen: 2, expiredDeleted: 2, schedulesRemoved: 2 });
  });

  it("counts a failing action as an error and still does the rest", async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [stack("vpc-00000003", "CREATE_COMPLETE"), stack("vpc-00000004", "CREATE_COMPLETE")] });
    cloudFormation
      .on(DeleteStackCommand, { StackName: "ssm-knock-vpc-00000003" })
      .rejects(new Error("AccessDenied"))
      .on(DeleteStackCommand, { StackName: "ssm-knock-vpc-00000004" })
      .resolves({});
    expect(await sweep(deps())).toMatchObject({ expiredDeleted: 1, errors: 1 });
  });
});
