import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { CloudFormationClient, CreateStackCommand, DescribeStackResourceCommand } from "@aws-sdk/client-cloudformation";
import { DescribeRuleCommand, EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { GetRoleCommand, GetRolePolicyCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, it } from "vitest";
import { TOLD_STATUSES } from "../../lib/sessions/stack-status.js";
import { type Json, packagedTemplate } from "../build/packaged.js";
import { arn } from "../iam/arns.js";
import { decide } from "../iam/simulate.js";

// template/region-events.yaml, deployed into moto's eu-west-1 as README: Deploy says, forwards this
// stage's stack status events to us-east-1's default bus, where the packaged stack-events rule's
// pattern matches them. moto delivers cross-region event bus targets and matches patterns
// (wildcard included) when events are put; an SQS queue stands in for the stack-events function.

const HOME = "us-east-1";
const OTHER = "eu-west-1";
let homePattern: Json;

beforeAll(async () => {
  const template = await packagedTemplate();
  const rule = Object.values(template.Resources).find(
    (r) => r.Type === "AWS::Events::Rule" && r.Properties.Targets?.[0]?.Arn?.["Fn::GetAtt"]?.[0] === "StackEventsLambdaFunction",
  );
  homePattern = rule?.Properties.EventPattern;
}, 180_000);

async function deployForwarder(stage: string) {
  const cloudFormation = new CloudFormationClient({ region: OTHER });
  const StackName = `ssm-knock-${stage}-region-events`;
  await cloudFormation.send(
    new CreateStackCommand({
      StackName,
      TemplateBody: readFileSync("template/region-events.yaml", "utf8"),
      Parameters: [
        { ParameterKey: "HomeRegion", ParameterValue: HOME },
        { ParameterKey: "Stage", ParameterValue: stage },
      ],
      Capabilities: ["CAPABILITY_IAM"],
    }),
  );
  const resource = async (LogicalResourceId: string) =>
    (await cloudFormation.send(new DescribeStackResourceCommand({ StackName, LogicalResourceId }))).StackResourceDetail;
  return { rule: await resource("ForwardStackEvents"), role: await resource("ForwardRole") };
}

/** The home region's stack-events rule, delivering to a queue we can read. */
async function homeRuleIntoQueue() {
  const sqs = new SQSClient({ region: HOME });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "stack-events-observer" }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  const events = new EventBridgeClient({ region: HOME });
  await events.send(new PutRuleCommand({ Name: "stack-events", EventPattern: JSON.stringify(homePattern) }));
  await events.send(new PutTargetsCommand({ Rule: "stack-events", Targets: [{ Id: "observer", Arn: Attributes?.QueueArn }] }));
  return async () => {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    return (Messages ?? []).map((m) => JSON.parse(m.Body ?? "{}").detail);
  };
}

/** A policy document as moto returns it: URL-encoded JSON, or (for inline policies CloudFormation made) Python's repr of it. */
function motoDocument(text: string): Json {
  try {
    return JSON.parse(decodeURIComponent(text));
  } catch {
    const script = "import ast, json, sys; print(json.dumps(ast.literal_eval(sys.stdin.read())))";
    return JSON.parse(execFileSync("python3", ["-c", script], { input: text, encoding: "utf8" }));
  }
}

const statusChange = (stackName: string, status: string) => ({
  Source: "aws.cloudformation",
  DetailType: "CloudFormation Stack Status Change",
  Detail: JSON.stringify({
    "stack-id": `arn:aws:cloudformation:${OTHER}:123456789012:stack/${stackName}/6b1a1d20-0f4e-11f1-8c2a-0a1b2c3d4e5f`,
    "status-details": { status, "status-reason": "Resource handler returned message: not authorized" },
  }),
});

describe("the region forwarder", () => {
  it("uses the home rule's pattern, for its stage", async () => {
    expect(homePattern.detail["stack-id"]).toEqual([{ wildcard: "arn:*:cloudformation:*:*:stack/ssm-knock-dev-vpc-*" }]);
    // Exactly the statuses the one stack-status rule tells (lib/sessions/stack-status.ts).
    expect([...homePattern.detail["status-details"].status].sort()).toEqual([...TOLD_STATUSES].sort());
    expect(homePattern.detail["status-details"].status).not.toContain("UPDATE_COMPLETE");
    const { rule } = await deployForwarder("dev");
    const { EventPattern } = await new EventBridgeClient({ region: OTHER }).send(
      new DescribeRuleCommand({ Name: rule?.PhysicalResourceId }),
    );
    expect(JSON.parse(EventPattern ?? "{}")).toEqual(homePattern);
  });

  it("brings another region's status changes of this stage's session stacks to the home rule, and nothing else", async () => {
    await deployForwarder("dev");
    const received = await homeRuleIntoQueue();
    const vpc = "vpc-0123456789abcdef0";
    await new EventBridgeClient({ region: OTHER }).send(
      new PutEventsCommand({
        Entries: [
          statusChange(`ssm-knock-prod-vpc-0123456789abcdef0`, "UPDATE_ROLLBACK_COMPLETE"),
          statusChange("payments-prod", "UPDATE_ROLLBACK_COMPLETE"),
          statusChange(`ssm-knock-dev-${vpc}`, "UPDATE_COMPLETE"),
          statusChange(`ssm-knock-dev-${vpc}`, "UPDATE_ROLLBACK_COMPLETE"),
          statusChange(`ssm-knock-dev-${vpc}`, "CREATE_COMPLETE"),
        ],
      }),
    );
    const delivered = await received();
    expect(delivered.map((d) => `${d["stack-id"].split("/")[1]} ${d["status-details"].status}`).sort()).toEqual([
      `ssm-knock-dev-${vpc} CREATE_COMPLETE`,
      `ssm-knock-dev-${vpc} UPDATE_ROLLBACK_COMPLETE`,
    ]);
    // the stack id still names the region the stack is in, which is where stack-events looks
    expect(delivered[0]["stack-id"]).toMatch(/^arn:aws:cloudformation:eu-west-1:/);
  });

  it("lets EventBridge put events on the home region's default bus only", async () => {
    const { role } = await deployForwarder("dev");
    const iam = new IAMClient({ region: HOME });
    const RoleName = role?.PhysicalResourceId;
    const { Role } = await iam.send(new GetRoleCommand({ RoleName }));
    expect(JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? "{}")).Statement[0].Principal).toEqual({
      Service: "events.amazonaws.com",
    });
    const { PolicyDocument } = await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName: "put-on-home-bus" }));
    const policies = [{ name: "put-on-home-bus", policy: motoDocument(PolicyDocument ?? "{}") }];
    const put = (resource: string) =>
      decide(policies, `arn:aws:sts::123456789012:assumed-role/${RoleName}/events`, { action: "events:PutEvents", resource });
    expect(await put(arn.eventBus("default", HOME))).toBe("Allowed");
    expect(await put(arn.eventBus("default", OTHER))).not.toBe("Allowed");
    expect(await put(arn.eventBus("payments", HOME))).not.toBe("Allowed");
  });
});
