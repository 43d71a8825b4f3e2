import { beforeAll, describe, expect, it } from "vitest";
import { type Json, packagedTemplate, type Resource, type Template } from "./packaged.js";

// Least privilege, read off the packaged CloudFormation (what would really be deployed).

let template: Template;

beforeAll(async () => {
  template = await packagedTemplate();
}, 180_000);

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** A resource as text: a plain ARN, the template of a Fn::Sub, or "GetAtt:Logical.Attribute". */
const text = (value: unknown): string => {
  if (typeof value === "string") return value;
  const v = value as Record<string, Json>;
  if (v["Fn::Sub"]) return String(v["Fn::Sub"]);
  if (v["Fn::GetAtt"]) return `GetAtt:${v["Fn::GetAtt"].join(".")}`;
  return JSON.stringify(value);
};
const list = (value: unknown) => (Array.isArray(value) ? value : [value]);

const toStatements = (document: Json): Statement[] =>
  list(document.Statement).map((s: Json) => ({ ...s, Action: list(s.Action).map(String), Resource: list(s.Resource).map(text) }));

/**
 * Everything a role is allowed: its inline policies, the template's managed policies it lists,
 * and policies elsewhere in the template that attach themselves to it (Roles: [Ref role]).
 */
function statementsOf(role: Resource): Statement[] {
  const name = Object.entries(template.Resources).find(([, r]) => r === role)?.[0];
  const inline = (role.Properties.Policies ?? []).flatMap((policy: Json) => toStatements(policy.PolicyDocument));
  const listed = (role.Properties.ManagedPolicyArns ?? [])
    .map((arn: Json) => template.Resources[arn?.Ref])
    .filter(Boolean)
    .flatMap((policy: Resource) => toStatements(policy.Properties.PolicyDocument));
  const attached = Object.values(template.Resources)
    .filter((r) => /^AWS::IAM::(Managed)?Policy$/.test(r.Type))
    .filter((r) => (r.Properties.Roles ?? []).some((ref: Json) => ref?.Ref === name))
    .flatMap((policy) => toStatements(policy.Properties.PolicyDocument));
  return [...inline, ...listed, ...attached];
}

const resourcesOfType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);
const role = (name: string) => template.Resources[name];
const trusted = (r: Resource) => list(r.Properties.AssumeRolePolicyDocument.Statement).flatMap((s: Json) => list(s.Principal.Service));
const lambdaRoles = () => resourcesOfType("AWS::IAM::Role").filter(([, r]) => trusted(r).includes("lambda.amazonaws.com"));
const allows = (statements: Statement[], action: string) => statements.filter((s) => s.Effect === "Allow" && s.Action.includes(action));

// CloudFormation Fn::Sub text, compared as written in resources/iam.yml.
// biome-ignore lint/suspicious/noTemplateCurlyInString: ${AWS::...} is Fn::Sub syntax, not a JS template
const STACKS = "arn:${AWS::Partition}:cloudformation:*:${AWS::AccountId}:stack/ssm-knock-vpc-*/*";
const SCHEDULES =
  /^arn:\$\{AWS::Partition\}:scheduler:\$\{AWS::Region\}:\$\{AWS::AccountId\}:schedule\/ssm-knock-dev\/ssm-knock-(?:(?:expire|warn)-)?\*$/;
const SCHEDULE_GROUP = /^arn:\$\{AWS::Partition\}:scheduler:\$\{AWS::Region\}:\$\{AWS::AccountId\}:schedule-group\/ssm-knock-dev$/;

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
  it("gives every function one of the service's own roles, never the framework's default", () => {
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
    const ours = lambdaRoles().map(([name]) => `GetAtt:${name}.Arn`);
    for (const [name, fn] of resourcesOfType("AWS::Lambda::Function")) {
      expect(ours, name).toContain(text(fn.Properties.Role));
    }
  });

  it("hands CloudFormation the endpoint stack role and Scheduler the timer role and dead-letter queue", () => {
    for (const [name, fn] of resourcesOfType("AWS::Lambda::Function")) {
      const env = fn.Properties.Environment.Variables;
      expect(text(env.CFN_ROLE_ARN), name).toBe("GetAtt:EndpointStackRole.Arn");
      expect(text(env.SCHEDULER_ROLE_ARN), name).toBe("GetAtt:SchedulerRole.Arn");
      expect(text(env.SCHEDULE_DLQ_ARN), name).toBe("GetAtt:ScheduleDeadLetterQueue.Arn");
    }
  });

  it("cannot create, change or delete network resources themselves: EC2 is read-only for them", () => {
    for (const [name, r] of lambdaRoles()) {
      const ec2 = statementsOf(r).flatMap((s) => s.Action.filter((a) => a.startsWith("ec2:")));
      expect(
        ec2.filter((a) => !a.startsWith("ec2:Describe")),
        name,
      ).toEqual([]);
    }
  });

  it("use no wildcard actions and no AWS managed policy but basic execution", () => {
    for (const [name, r] of lambdaRoles()) {
      for (const s of statementsOf(r))
        expect(
          s.Action.filter((a) => a.includes("*")),
          `${name} ${s.Sid}`,
        ).toEqual([]);
      // AWS's basic execution policy (logs), or a policy of this template (checked with the role's statements).
      for (const arn of r.Properties.ManagedPolicyArns ?? []) {
        if (arn?.Ref) expect(template.Resources[arn.Ref]?.Type, name).toBe("AWS::IAM::ManagedPolicy");
        else expect(text(arn), name).toMatch(/service-role\/AWSLambdaBasicExecutionRole$/);
      }
    }
  });

  it("change only ssm-knock stacks; listing (read-only) is the one action on every stack", () => {
    for (const [name, r] of lambdaRoles()) {
      for (const s of statementsOf(r).filter((st) => st.Action.some((a) => a.startsWith("cloudformation:")))) {
        const listing = s.Action.every((a) => a === "cloudformation:ListStacks" || a === "cloudformation:DescribeStacks");
        if (listing && s.Resource.join() === "*") continue;
        expect(s.Resource, `${name} ${s.Sid}`).toEqual([STACKS]);
      }
    }
  });

  it("may list stacks where they must: DescribeStacks with no name needs ListStacks on every stack", () => {
    // GET /sessions and the session limit (ApiRole) and the sweeper (JanitorRole) list stacks.
    for (const name of ["ApiRole", "JanitorRole"]) {
      const statements = statementsOf(role(name));
      for (const action of ["cloudformation:ListStacks", "cloudformation:DescribeStacks"]) {
        expect(
          allows(statements, action).some((s) => s.Resource.includes("*")),
          `${name} ${action}`,
        ).toBe(true);
      }
    }
  });

  it("touch only ssm-knock schedules in the service's group; listing is read-only", () => {
    for (const [name, r] of lambdaRoles()) {
      for (const s of statementsOf(r).filter((st) => st.Action.some((a) => a.startsWith("scheduler:")))) {
        if (s.Action.join() === "scheduler:ListSchedules") continue;
        if (s.Action.join() === "scheduler:CreateScheduleGroup") {
          expect(s.Resource.join(), `${name} ${s.Sid}`).toMatch(SCHEDULE_GROUP);
          continue;
        }
        for (const resource of s.Resource) expect(resource, `${name} ${s.Sid}`).toMatch(SCHEDULES);
      }
    }
  });

  it("pass only the stack role to CloudFormation and only the timer role to Scheduler", () => {
    const wanted: Record<string, string> = {
      "GetAtt:EndpointStackRole.Arn": "cloudformation.amazonaws.com",
      "GetAtt:SchedulerRole.Arn": "scheduler.amazonaws.com",
    };
    for (const [name, r] of lambdaRoles()) {
      for (const s of allows(statementsOf(r), "iam:PassRole")) {
        expect(s.Resource, `${name} ${s.Sid}`).toHaveLength(1);
        const service = wanted[s.Resource[0]];
        expect(service, `${name} passes ${s.Resource[0]}`).toBeDefined();
        expect(s.Condition?.StringEquals?.["iam:PassedToService"], `${name} ${s.Sid}`).toBe(service);
      }
    }
  });
});

describe("the endpoint stacks' CloudFormation service role", () => {
  const EC2_ACTIONS = new Set([
    "ec2:CreateVpcEndpoint",
    "ec2:ModifyVpcEndpoint",
    "ec2:DeleteVpcEndpoints",
    "ec2:CreateSecurityGroup",
    "ec2:DeleteSecurityGroup",
    "ec2:AuthorizeSecurityGroupIngress",
    "ec2:RevokeSecurityGroupIngress",
    "ec2:AuthorizeSecurityGroupEgress",
    "ec2:RevokeSecurityGroupEgress",
    "ec2:CreateTags",
    "ec2:DeleteTags",
  ]);
  // Interface endpoints with private DNS associate the VPC with an AWS-managed hosted zone.
  const PRIVATE_DNS = new Set(["route53:AssociateVPCWithHostedZone", "route53:DisassociateVPCFromHostedZone"]);

  it("is assumable only by CloudFormation, from this account", () => {
    const r = role("EndpointStackRole");
    expect(trusted(r)).toEqual(["cloudformation.amazonaws.com"]);
    const [trust] = list(r.Properties.AssumeRolePolicyDocument.Statement);
    expect(trust.Condition.StringEquals["aws:SourceAccount"]).toEqual({ Ref: "AWS::AccountId" });
  });

  it("may only manage VPC endpoints, security groups and their tags (and read the network)", () => {
    for (const s of statementsOf(role("EndpointStackRole"))) {
      for (const action of s.Action) {
        const fine = action.startsWith("ec2:Describe") || EC2_ACTIONS.has(action) || PRIVATE_DNS.has(action);
        expect(fine, `${s.Sid}: ${action}`).toBe(true);
      }
    }
  });

  it("creates only tagged endpoints and groups, and changes or deletes only ssm-knock's own", () => {
    const statements = statementsOf(role("EndpointStackRole"));
    const own = (resource: string) => /:(vpc-endpoint|security-group|security-group-rule)\/\*$/.test(resource);
    for (const s of statements.filter((st) => st.Action.some((a) => /^ec2:(Delete|Revoke|Authorize)/.test(a)))) {
      expect(s.Resource.every(own), s.Sid).toBe(true);
      expect(s.Condition?.StringEquals?.["aws:ResourceTag/ssm-knock:managed"], s.Sid).toBe("true");
    }
    const creating = statements.filter((s) => s.Action.includes("ec2:CreateVpcEndpoint"));
    const onNew = creating.filter((s) => s.Resource.some((r) => /:vpc-endpoint\/\*$/.test(r)));
    expect(onNew.length).toBeGreaterThan(0);
    for (const s of onNew) expect(s.Condition?.StringEquals?.["aws:RequestTag/ssm-knock:managed"], s.Sid).toBe("true");
    for (const s of allows(statements, "ec2:CreateTags")) {
      expect(s.Resource.every(own), s.Sid).toBe(true);
      expect(s.Condition, s.Sid).toBeDefined();
    }
  });
});

describe("the scheduler's role and the dead-letter queue", () => {
  it("may only invoke the expire and expiry-warning functions and write to the dead-letter queue", () => {
    const r = role("SchedulerRole");
    expect(trusted(r)).toEqual(["scheduler.amazonaws.com"]);
    const [trust] = list(r.Properties.AssumeRolePolicyDocument.Statement);
    expect(trust.Condition.StringEquals["aws:SourceAccount"]).toEqual({ Ref: "AWS::AccountId" });
    for (const s of statementsOf(r)) {
      expect(s.Effect).toBe("Allow");
      for (const action of s.Action) expect(["lambda:InvokeFunction", "sqs:SendMessage"]).toContain(action);
      if (s.Action.includes("lambda:InvokeFunction")) {
        for (const resource of s.Resource) expect(resource).toMatch(/:function:ssm-knock-dev-(expire|notify-expiring)$/);
      } else {
        expect(s.Resource).toEqual(["GetAtt:ScheduleDeadLetterQueue.Arn"]);
      }
    }
  });

  it("gives failed deliveries a standard, encrypted SQS queue with an alarm on it", () => {
    const queue = role("ScheduleDeadLetterQueue");
    expect(queue.Type).toBe("AWS::SQS::Queue");
    // Scheduler's dead-letter queue must be a standard queue.
    expect(queue.Properties.FifoQueue).toBeFalsy();
    expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    expect(queue.Properties.MessageRetentionPeriod).toBe(1_209_600);
    const alarms = resourcesOfType("AWS::CloudWatch::Alarm").map(([, a]) => a.Properties);
    const onQueue = alarms.filter((a) =>
      (a.Dimensions ?? []).some((d: Json) => d.Name === "QueueName" && text(d.Value) === "GetAtt:ScheduleDeadLetterQueue.QueueName"),
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
    expect(role("AlarmTopic").Type).toBe("AWS::SNS::Topic");
  });
});
