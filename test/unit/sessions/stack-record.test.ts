import type { Stack } from "@aws-sdk/client-cloudformation";
import { describe, expect, it } from "vitest";
import { TAG } from "../../../lib/core/tags.js";
import { specFromStack, stackParameters, stackTags } from "../../../lib/sessions/stack-record.js";
import { sampleSpec } from "../../support/session-fixture.js";

// The stack record codec: what a session's stack says about it, read back the way CloudFormation
// and moto return it, and what a stack that says too little is taken for.

const HOME = { accountId: "123456789012", region: "us-east-1" };
const CREATED = new Date("2026-11-30T10:00:05Z");

describe("the stack record", () => {
  it("reads back what it wrote, from CloudFormation's lists and from moto's", () => {
    const spec = sampleSpec({ services: ["ssm", "ssmmessages", "s3"], s3RouteTableIds: ["rtb-1", "rtb-2"] });
    const parameters = stackParameters(spec);
    const fromCloudFormation = specFromStack({ StackName: "s", CreationTime: CREATED, Parameters: parameters } as Stack, HOME);
    expect(fromCloudFormation).toEqual({ ...spec, ...HOME });
    const motoStyle = parameters.map((p) =>
      p.ParameterKey === "SubnetIds" ? { ...p, ParameterValue: `[${spec.subnetIds.map((id) => `'${id}'`).join(", ")}]` } : p,
    );
    expect(specFromStack({ StackName: "s", Parameters: motoStyle } as Stack, HOME).subnetIds).toEqual(spec.subnetIds);
  });

  it("leaves the S3 route tables out of the parameters unless the session has the s3 endpoint", () => {
    const parameters = stackParameters(sampleSpec({ services: ["ssm", "ssmmessages"], s3RouteTableIds: ["rtb-1"] }));
    expect(parameters.find((p) => p.ParameterKey === "S3RouteTableIds")?.ParameterValue).toBe("");
  });

  it("falls back to the tags, and takes a stack without a readable expiry for expired (the sweeper never keeps it)", () => {
    const spec = sampleSpec();
    const tagged = specFromStack({ StackName: "s", CreationTime: CREATED, Tags: stackTags(spec) } as Stack, HOME);
    expect(tagged).toMatchObject({ vpcId: spec.vpcId, expiresAt: spec.expiresAt, createdAt: CREATED, requests: [], services: [] });
    const bare = specFromStack({ StackName: "s" } as Stack, HOME);
    expect(bare).toMatchObject({ vpcId: "", expiresAt: new Date(0), createdAt: new Date(0), subnetIds: [], requests: [] });
    expect(bare).not.toHaveProperty("price");
  });

  it("records the first requester, cut to CloudFormation's tag length", () => {
    const spec = sampleSpec({ requests: [{ by: "x".repeat(300), at: "2026-11-30T10:00:00Z" }] });
    expect(stackTags(spec).find((t) => t.Key === TAG.requestedBy)?.Value).toHaveLength(256);
    expect(stackTags(sampleSpec({ requests: [] })).find((t) => t.Key === TAG.requestedBy)?.Value).toBe("unknown");
  });
});
