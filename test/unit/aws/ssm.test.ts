import { DescribeInstanceInformationCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { pingStatuses } from "../../../lib/aws/ssm.js";

// moto has no DescribeInstanceInformation, so SSM's answer is shown at the client boundary.
const ssm = mockClient(SSMClient);
afterEach(() => ssm.reset());

describe("pingStatuses", () => {
  it("reports each instance's ping status, and Unregistered for one SSM does not know", async () => {
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: "i-00000001", PingStatus: "Online" }] });
    expect(await pingStatuses(new SSMClient({ region: "us-east-1" }), ["i-00000001", "i-00000002"])).toEqual([
      { id: "i-00000001", pingStatus: "Online" },
      { id: "i-00000002", pingStatus: "Unregistered" },
    ]);
    expect(ssm.commandCalls(DescribeInstanceInformationCommand)[0].args[0].input.Filters).toEqual([
      { Key: "InstanceIds", Values: ["i-00000001", "i-00000002"] },
    ]);
  });

  it("degrades to unknown when SSM fails, and asks nothing when there is no instance", async () => {
    ssm.on(DescribeInstanceInformationCommand).rejects(new Error("AccessDeniedException"));
    expect(await pingStatuses(new SSMClient({ region: "us-east-1" }), ["i-00000001"])).toEqual([
      { id: "i-00000001", pingStatus: "unknown" },
    ]);
    ssm.reset();
    expect(await pingStatuses(new SSMClient({ region: "us-east-1" }), [])).toEqual([]);
    expect(ssm.commandCalls(DescribeInstanceInformationCommand)).toHaveLength(0);
  });
});
