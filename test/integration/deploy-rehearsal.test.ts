import { readFileSync } from "node:fs";
import { basename } from "node:path";
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
  waitUntilStackCreateComplete,
  waitUntilStackUpdateComplete,
} from "@aws-sdk/client-cloudformation";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MotoServer, startMoto } from "../../local/moto.js";
import { type Json, packagedTemplate, type Template } from "../build/packaged.js";

// The packaged service deployed into moto the way osls deploys it: the create-stack template (the
// deployment bucket), the artifacts uploaded to that bucket, then the update-stack template from
// the bucket. moto cannot run the functions; it does catch references and properties the
// template gets wrong. Its own moto, with AWS managed policies loaded (the roles attach one).

const STACK = "ssm-knock-dev";
/**
 * The resource types moto 5.2 creates from a template. It passes over the rest without a word
 * (API Gateway v2, the schedule group, EventInvokeConfig, the bucket policy, the alarm): cfn-lint
 * (test/build/package.test.ts) is what checks those.
 */
const MOTO_DEPLOYS = new Set([
  "AWS::IAM::Role",
  "AWS::IAM::ManagedPolicy",
  "AWS::IAM::Policy",
  "AWS::Lambda::Function",
  "AWS::Lambda::Version",
  "AWS::Lambda::Permission",
  "AWS::Events::Rule",
  "AWS::SQS::Queue",
  "AWS::SNS::Topic",
  "AWS::Logs::LogGroup",
  "AWS::S3::Bucket",
]);
const CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"] as const;
let moto: MotoServer;
let update: Template;
let clients: ReturnType<typeof clientsFor>;

const clientsFor = (endpoint: string) => {
  const options = { region: "us-east-1", endpoint, credentials: { accessKeyId: "rehearsal", secretAccessKey: "rehearsal" } };
  return {
    cloudFormation: new CloudFormationClient(options),
    s3: new S3Client({ ...options, forcePathStyle: true }),
    lambda: new LambdaClient(options),
    iam: new IAMClient(options),
  };
};

const waiting = { maxWaitTime: 120, minDelay: 1, maxDelay: 2 };

async function deployAsOsls(): Promise<void> {
  const { cloudFormation, s3 } = clients;
  const create = readFileSync(".serverless/cloudformation-template-create-stack.json", "utf8");
  await cloudFormation.send(new CreateStackCommand({ StackName: STACK, TemplateBody: create, Capabilities: [...CAPABILITIES] }));
  await waitUntilStackCreateComplete({ client: cloudFormation, ...waiting }, { StackName: STACK });
  const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: STACK }));
  const Bucket = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === "ServerlessDeploymentBucketName")?.OutputValue;
  expect(Bucket).toBeTruthy();

  const keys = Object.values(update.Resources)
    .filter((r) => r.Type === "AWS::Lambda::Function")
    .map((r) => r.Properties.Code.S3Key as string);
  for (const Key of keys) {
    await s3.send(new PutObjectCommand({ Bucket, Key, Body: readFileSync(`.serverless/${basename(Key)}`) }));
  }
  // Too large for TemplateBody (51,200 bytes), so, as osls does, from the bucket.
  const templateKey = `${keys[0].slice(0, keys[0].lastIndexOf("/"))}/compiled-cloudformation-template.json`;
  await s3.send(new PutObjectCommand({ Bucket, Key: templateKey, Body: JSON.stringify(update) }));
  await cloudFormation.send(
    new UpdateStackCommand({
      StackName: STACK,
      TemplateURL: `https://s3.amazonaws.com/${Bucket}/${templateKey}`,
      Capabilities: [...CAPABILITIES],
    }),
  );
  await waitUntilStackUpdateComplete({ client: cloudFormation, ...waiting }, { StackName: STACK });
}

beforeAll(async () => {
  update = await packagedTemplate();
  moto = await startMoto({ env: { MOTO_IAM_LOAD_MANAGED_POLICIES: "true" } });
  clients = clientsFor(moto.endpoint);
  await deployAsOsls();
}, 300_000);

afterAll(async () => {
  await moto?.stop();
});

/** The deployed resources by logical id: physical ids as CloudFormation reports them. */
async function physicalIds(): Promise<Record<string, string>> {
  const { StackResources } = await clients.cloudFormation.send(new DescribeStackResourcesCommand({ StackName: STACK }));
  return Object.fromEntries((StackResources ?? []).map((r) => [r.LogicalResourceId, r.PhysicalResourceId]));
}

describe("a deploy the way osls does it", () => {
  it("ends UPDATE_COMPLETE with every role, policy, function, permission, rule, queue, topic and log group of the template", async () => {
    const { Stacks } = await clients.cloudFormation.send(new DescribeStacksCommand({ StackName: STACK }));
    expect(Stacks?.[0]?.StackStatus).toBe("UPDATE_COMPLETE");
    const deployed = Object.keys(await physicalIds());
    const modelled = Object.entries(update.Resources).filter(([, r]) => MOTO_DEPLOYS.has(r.Type));
    expect(modelled.length).toBeGreaterThan(50);
    expect(modelled.map(([id]) => id).filter((id) => !deployed.includes(id))).toEqual([]);
  });

  it("gives every function the role the code expects and the environment that names the deployed resources", async () => {
    const ids = await physicalIds();
    const roleArn = async (logicalId: string) => (await clients.iam.send(new GetRoleCommand({ RoleName: ids[logicalId] }))).Role?.Arn;
    const functionArn = async (logicalId: string) =>
      (await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: ids[logicalId] }))).FunctionArn;
    const expected = {
      STACK_PREFIX: "ssm-knock-dev",
      SCHEDULE_GROUP: "ssm-knock-dev",
      CFN_ROLE_ARN: await roleArn("EndpointStackRole"),
      SCHEDULER_ROLE_ARN: await roleArn("SchedulerRole"),
      EXPIRE_FUNCTION_ARN: await functionArn("ExpireLambdaFunction"),
      WARN_FUNCTION_ARN: await functionArn("NotifyExpiringLambdaFunction"),
      NOTIFY_FUNCTION_NAME: ids.NotifyLambdaFunction,
      SLACK_WORKER_FUNCTION_NAME: ids.SlackWorkerLambdaFunction,
      SECRETS_PARAMETER_PATH: "/apps/ssm-knock/dev/",
    };
    expect(expected.CFN_ROLE_ARN).toMatch(/^arn:aws:iam::\d{12}:role\//);
    expect(expected.EXPIRE_FUNCTION_ARN).toMatch(/^arn:aws:lambda:us-east-1:\d{12}:function:ssm-knock-dev-expire$/);

    const functions = Object.entries(update.Resources).filter(([, r]) => r.Type === "AWS::Lambda::Function");
    expect(functions).toHaveLength(14);
    for (const [logicalId, resource] of functions) {
      const deployed = await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: ids[logicalId] }));
      const role = (resource.Properties.Role as Json)["Fn::GetAtt"][0];
      expect(deployed.Role, logicalId).toBe(await roleArn(role));
      expect(deployed.Runtime, logicalId).toBe("nodejs22.x");
      expect(deployed.Environment?.Variables, logicalId).toMatchObject(expected);
      expect(deployed.Environment?.Variables?.SCHEDULE_DLQ_ARN, logicalId).toMatch(/:ssm-knock-dev-schedule-dlq$/);
    }
  });
});
