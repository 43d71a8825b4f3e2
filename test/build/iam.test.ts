import { beforeAll, describe, expect, it } from "vitest";
import { Deployment } from "../iam/deployment.js";
import { type Json, packagedTemplate, type Template } from "./packaged.js";

// What the packaged CloudFormation says about authentication and roles that the IAM simulation
// (iam-corpus, iam-handlers, test/calls) does not: every write action a role has, wiring, shapes.

let template: Template;
let deployment: Deployment;

beforeAll(async () => {
  template = await packagedTemplate();
  deployment = new Deployment(template);
}, 180_000);

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string[];
  Resource: string[];
  Condition?: Json;
}

const list = (value: unknown) => (Array.isArray(value) ? value : [value]);
/** Every statement in force for a role, resolved (inline, managed and attached policies). */
const statementsOf = (role: string): Statement[] =>
  deployment
    .policiesOf(role)
    .flatMap((p) => list(p.policy.Statement))
    .map((s: Json) => ({ ...s, Action: list(s.Action).map(String), Resource: list(s.Resource).map(String) }));

const resourcesOfType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);
const trusted = (role: string) =>
  list(template.Resources[role].Properties.AssumeRolePolicyDocument.Statement).flatMap((s: Json) => list(s.Principal.Service));
const LAMBDA_ROLES = ["ApiRole", "JanitorRole", "NotifyRole", "SlackRole", "ReadinessRole"];
const getAtt = (value: Json) => (value?.["Fn::GetAtt"] ? value["Fn::GetAtt"].join(".") : JSON.stringify(value));

describe("authentication", () => {
  it("puts every route but Slack's behind IAM authorization (SigV4), the five session routes included", () => {
    const routes = resourcesOfType("AWS::ApiGatewayV2::Route").map(([, r]) => r.Properties);
    const keys = routes.map((r) => String(r.RouteKey));
    expect(keys).toEqual(
      expect.arrayContaining([
        "POST /sessions",
        "GET /sessions",
        "GET /sessions/{id}",
        "POST /sessions/{id}/extend",
        "DELETE /sessions/{id}",
      ]),
    );
    for (const route of routes.filter((r) => !String(r.RouteKey).includes("/slack/"))) {
      expect(route.AuthorizationType, String(route.RouteKey)).toBe("AWS_IAM");
    }
    expect(keys).not.toContain("$default");
  });
});

describe("the functions' roles", () => {
  it("gives every function one of the service's own Lambda roles, never the framework's default", () => {
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
    const lambdaRoles = resourcesOfType("AWS::IAM::Role")
      .filter(([name]) => trusted(name).includes("lambda.amazonaws.com"))
      .map(([name]) => name);
    expect(lambdaRoles.sort()).toEqual([...LAMBDA_ROLES].sort());
    const functions = resourcesOfType("AWS::Lambda::Function");
    expect(functions.length).toBe(14);
    for (const [name, fn] of functions)
      expect(
        LAMBDA_ROLES.map((r) => `${r}.Arn`),
        name,
      ).toContain(getAtt(fn.Properties.Role));
  });

  it("hands every function this stage's names, the stack role, the timer role and the dead-letter queue", () => {
    for (const key of deployment.functionKeys()) {
      const env = deployment.environmentOf(key);
      expect(env, key).toMatchObject({
        STACK_PREFIX: "ssm-knock-dev",
        SCHEDULE_GROUP: "ssm-knock-dev",
        CFN_ROLE_ARN: deployment.roleArn("EndpointStackRole"),
        SCHEDULER_ROLE_ARN: deployment.roleArn("SchedulerRole"),
        SCHEDULE_DLQ_ARN: "arn:aws:sqs:us-east-1:123456789012:ssm-knock-dev-schedule-dlq",
        SECRETS_PARAMETER_PATH: "/apps/ssm-knock/dev/",
      });
    }
  });

  it("cannot create, change or delete network resources themselves: EC2 is read-only for them", () => {
    for (const role of LAMBDA_ROLES) {
      const ec2 = statementsOf(role).flatMap((s) => s.Action.filter((a) => a.startsWith("ec2:")));
      expect(
        ec2.filter((a) => !a.startsWith("ec2:Describe")),
        role,
      ).toEqual([]);
    }
    expect(statementsOf("ApiRole").flatMap((s) => s.Action)).toContain("ec2:DescribeVpcs");
  });

  it("use no wildcard actions and no AWS managed policy but basic execution", () => {
    for (const role of LAMBDA_ROLES) {
      const statements = statementsOf(role);
      expect(statements.length, role).toBeGreaterThan(1);
      expect(
        statements.flatMap((s) => s.Action.filter((a) => a.includes("*"))),
        role,
      ).toEqual([]);
      for (const arn of template.Resources[role].Properties.ManagedPolicyArns ?? []) {
        if (arn?.Ref) expect(template.Resources[arn.Ref]?.Type, role).toBe("AWS::IAM::ManagedPolicy");
        else expect(deployment.resolve(arn), role).toBe("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
      }
    }
  });

  it("pass only the stack role to CloudFormation and only the timer role to Scheduler, each under exactly that condition", () => {
    const wanted: Record<string, string> = {
      [deployment.roleArn("EndpointStackRole")]: "cloudformation.amazonaws.com",
      [deployment.roleArn("SchedulerRole")]: "scheduler.amazonaws.com",
    };
    const passing = LAMBDA_ROLES.flatMap((role) =>
      statementsOf(role)
        .filter((s) => s.Action.includes("iam:PassRole"))
        .map((s) => ({ role, s })),
    );
    expect(passing.length).toBeGreaterThanOrEqual(3);
    for (const { role, s } of passing) {
      expect(s.Action, role).toEqual(["iam:PassRole"]);
      expect(s.Resource, role).toHaveLength(1);
      expect(Object.keys(wanted), role).toContain(s.Resource[0]);
      expect(s.Condition, `${role} ${s.Sid}`).toEqual({ StringEquals: { "iam:PassedToService": wanted[s.Resource[0]] } });
    }
  });
});

describe("the endpoint stacks' CloudFormation service role", () => {
  const WRITES = new Set([
    "ec2:CreateVpcEndpoint",
    "ec2:ModifyVpcEndpoint",
    "ec2:DeleteVpcEndpoints",
    "ec2:CreateSecurityGroup",
    "ec2:DeleteSecurityGroup",
    "ec2:AuthorizeSecurityGroupIngress",
    "ec2:RevokeSecurityGroupIngress",
    "ec2:AuthorizeSecurityGroupEgress",
    "ec2:RevokeSecurityGroupEgress",
    "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
    "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
    "ec2:CreateTags",
    "ec2:DeleteTags",
    // Interface endpoints with private DNS associate the VPC with an AWS-managed hosted zone.
    "route53:AssociateVPCWithHostedZone",
    "route53:DisassociateVPCFromHostedZone",
  ]);

  it("may only manage VPC endpoints, security groups and their tags (and read the network)", () => {
    const actions = statementsOf("EndpointStackRole").flatMap((s) => s.Action);
    expect(actions).toContain("ec2:CreateVpcEndpoint");
    const other = actions.filter((a) => !/^(ec2|vpc-lattice):Describe/.test(a) && !WRITES.has(a));
    expect(other).toEqual([]);
  });
});

describe("the scheduler's role and the dead-letter queue", () => {
  it("has no action but invoking a function and writing to a queue (which ones: the IAM corpora)", () => {
    expect(trusted("SchedulerRole")).toEqual(["scheduler.amazonaws.com"]);
    const actions = new Set(statementsOf("SchedulerRole").flatMap((s) => s.Action));
    expect([...actions].sort()).toEqual(["lambda:InvokeFunction", "sqs:SendMessage"]);
  });

  it("gives failed deliveries a standard, encrypted SQS queue with an alarm on it", () => {
    const queue = template.Resources.ScheduleDeadLetterQueue;
    expect(queue.Type).toBe("AWS::SQS::Queue");
    // Scheduler's dead-letter queue must be a standard queue.
    expect(queue.Properties.FifoQueue).toBeFalsy();
    expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    expect(queue.Properties.MessageRetentionPeriod).toBe(1_209_600);
    const alarms = resourcesOfType("AWS::CloudWatch::Alarm").map(([, a]) => a.Properties);
    const onQueue = alarms.filter((a) =>
      (a.Dimensions ?? []).some((d: Json) => d.Name === "QueueName" && getAtt(d.Value) === "ScheduleDeadLetterQueue.QueueName"),
    );
    expect(onQueue).toHaveLength(1);
    expect(onQueue[0]).toMatchObject({
      Namespace: "AWS/SQS",
      MetricName: "ApproximateNumberOfMessagesVisible",
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
    });
    // and someone hears it: the alarm publishes to the service's SNS topic
    expect(onQueue[0].AlarmActions).toEqual([{ Ref: "AlarmTopic" }]);
    expect(template.Resources.AlarmTopic.Type).toBe("AWS::SNS::Topic");
  });
});
