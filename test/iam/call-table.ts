import type { CallRecord } from "../../local/aws-call-log.js";
import { arn, inAccount, requestTags } from "./arns.js";
import { ACCOUNT } from "./deployment.js";
import type { NamingMap } from "./naming.js";
import type { IamRequest } from "./simulate.js";

// biome-ignore lint/suspicious/noExplicitAny: a recorded SDK command input (JSON); each row reads the fields it needs
type Input = Record<string, any>;
type Row = (input: Input, names: NamingMap, region: string) => IamRequest[];

const everything =
  (action: string): Row =>
  () => [{ action, resource: "*" }];
const tagsOf = (tags: { Key?: string; Value?: string }[] = []) =>
  tags.length ? requestTags(Object.fromEntries(tags.map((t) => [t.Key ?? "", t.Value ?? ""]))) : {};

/** iam:PassRole, as AWS checks it when a request names a role for a service to use. */
const passRole = (roleArn: string | undefined, service: string): IamRequest[] =>
  roleArn ? [{ action: "iam:PassRole", resource: roleArn, context: { "iam:PassedToService": service } }] : [];

/** CreateStack and UpdateStack: the stack, with its tags and role, and handing the role to CloudFormation. */
const changeStack =
  (action: string): Row =>
  (input, names, region) => {
    const role = names.stackRole(input.RoleARN);
    return [
      {
        action,
        resource: arn.stack(names.stackName(input.StackName), region),
        context: { ...tagsOf(input.Tags), ...(role ? { "cloudformation:RoleArn": role } : {}) },
      },
      ...passRole(role, "cloudformation.amazonaws.com"),
    ];
  };

const onStack =
  (action: string): Row =>
  (input, names, region) => [{ action, resource: arn.stack(names.stackName(input.StackName), region) }];

const onSchedule =
  (action: string): Row =>
  (input, names, region) => [
    { action, resource: arn.schedule(names.scheduleGroup(input.GroupName), names.scheduleName(input.Name), region) },
  ];

/** CreateSchedule and UpdateSchedule also hand the target's role to Scheduler. */
const writeSchedule =
  (action: string): Row =>
  (input, names, region) => [
    ...onSchedule(action)(input, names, region),
    ...passRole(names.timerRole(input.Target?.RoleArn), "scheduler.amazonaws.com"),
  ];

/**
 * SecureString values are decrypted with the account's AWS managed key for SSM (aws/ssm), through
 * SSM. Its key policy, as AWS writes it for every such key, lets any principal of the account use
 * it through SSM; the caller's own policy must allow kms:Decrypt too.
 */
const decryptThroughSsm = (region: string): IamRequest => ({
  action: "kms:Decrypt",
  resource: `arn:aws:kms:${region}:${ACCOUNT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`,
  context: { "kms:ViaService": `ssm.${region}.amazonaws.com`, "kms:CallerAccount": ACCOUNT },
  resourcePolicy: {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Allow access through SSM for all principals in the account that are authorized to use SSM",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
        Resource: "*",
        Condition: { StringEquals: { "kms:CallerAccount": ACCOUNT, "kms:ViaService": `ssm.${region}.amazonaws.com` } },
      },
    ],
  },
});

/**
 * Every SDK command the service sends, as the IAM authorisations AWS makes for it (actions and
 * resource types from the Service Authorization Reference; iam-simulate rejects a resource of
 * the wrong type). A command missing here fails the simulation: new code cannot escape it.
 */
export const CALL_TABLE: Record<string, Record<string, Row>> = {
  EC2Client: {
    DescribeInstancesCommand: everything("ec2:DescribeInstances"),
    DescribeVpcsCommand: everything("ec2:DescribeVpcs"),
    DescribeSubnetsCommand: everything("ec2:DescribeSubnets"),
    DescribeVpcEndpointsCommand: everything("ec2:DescribeVpcEndpoints"),
    DescribeRouteTablesCommand: everything("ec2:DescribeRouteTables"),
    DescribeSecurityGroupsCommand: everything("ec2:DescribeSecurityGroups"),
    DescribeVpcAttributeCommand: (input, _, region) => [
      { action: "ec2:DescribeVpcAttribute", resource: arn.ec2("vpc", input.VpcId, region) },
    ],
    DescribeNetworkAclsCommand: everything("ec2:DescribeNetworkAcls"),
    DescribeNatGatewaysCommand: everything("ec2:DescribeNatGateways"),
    // Only local mode's stand-in for CloudFormation's own deletes makes it (never a function).
    DeleteVpcEndpointsCommand: (input, _, region) =>
      (input.VpcEndpointIds ?? []).map((id: string) => ({
        action: "ec2:DeleteVpcEndpoints",
        resource: arn.ec2("vpc-endpoint", id, region),
      })),
    // The opt-in kick: authorised on each instance.
    RebootInstancesCommand: (input, _, region) =>
      (input.InstanceIds ?? []).map((id: string) => ({ action: "ec2:RebootInstances", resource: arn.instance(id, region) })),
  },
  // The readiness role check: each request on the role, profile or policy it names (IAM is global).
  IAMClient: {
    GetInstanceProfileCommand: (input) => [{ action: "iam:GetInstanceProfile", resource: arn.instanceProfile(input.InstanceProfileName) }],
    SimulatePrincipalPolicyCommand: (input) => [{ action: "iam:SimulatePrincipalPolicy", resource: arn.iam(input.PolicySourceArn) }],
    ListAttachedRolePoliciesCommand: (input) => [{ action: "iam:ListAttachedRolePolicies", resource: arn.role(input.RoleName) }],
    ListRolePoliciesCommand: (input) => [{ action: "iam:ListRolePolicies", resource: arn.role(input.RoleName) }],
    GetRolePolicyCommand: (input) => [{ action: "iam:GetRolePolicy", resource: arn.role(input.RoleName) }],
    GetPolicyCommand: (input) => [{ action: "iam:GetPolicy", resource: arn.iam(input.PolicyArn) }],
    GetPolicyVersionCommand: (input) => [{ action: "iam:GetPolicyVersion", resource: arn.iam(input.PolicyArn) }],
  },
  CloudFormationClient: {
    CreateStackCommand: changeStack("cloudformation:CreateStack"),
    UpdateStackCommand: changeStack("cloudformation:UpdateStack"),
    DeleteStackCommand: (input, names, region) => {
      const role = names.stackRole(input.RoleARN);
      return [
        {
          action: "cloudformation:DeleteStack",
          resource: arn.stack(names.stackName(input.StackName), region),
          context: role ? { "cloudformation:RoleArn": role } : {},
        },
        ...passRole(role, "cloudformation.amazonaws.com"),
      ];
    },
    // Without a stack name DescribeStacks lists every stack, and is authorised on "*".
    DescribeStacksCommand: (input, names, region) =>
      input.StackName
        ? onStack("cloudformation:DescribeStacks")(input, names, region)
        : everything("cloudformation:DescribeStacks")(input, names, region),
    DescribeStackResourcesCommand: onStack("cloudformation:DescribeStackResources"),
    DescribeStackEventsCommand: onStack("cloudformation:DescribeStackEvents"),
    ListStacksCommand: everything("cloudformation:ListStacks"),
  },
  SchedulerClient: {
    CreateScheduleCommand: writeSchedule("scheduler:CreateSchedule"),
    UpdateScheduleCommand: writeSchedule("scheduler:UpdateSchedule"),
    GetScheduleCommand: onSchedule("scheduler:GetSchedule"),
    DeleteScheduleCommand: onSchedule("scheduler:DeleteSchedule"),
    ListSchedulesCommand: everything("scheduler:ListSchedules"),
    CreateScheduleGroupCommand: (input, names, region) => [
      {
        action: "scheduler:CreateScheduleGroup",
        resource: arn.scheduleGroup(names.scheduleGroup(input.Name), region),
        context: tagsOf(input.Tags),
      },
    ],
  },
  // The Price List Query API: GetProducts has no resource type.
  PricingClient: {
    GetProductsCommand: everything("pricing:GetProducts"),
  },
  SSMClient: {
    DescribeInstanceInformationCommand: everything("ssm:DescribeInstanceInformation"),
    GetConnectionStatusCommand: everything("ssm:GetConnectionStatus"),
    GetDocumentCommand: (input, _, region) => [{ action: "ssm:GetDocument", resource: arn.document(input.Name, region) }],
    GetServiceSettingCommand: (input, _, region) => [
      { action: "ssm:GetServiceSetting", resource: arn.serviceSetting(input.SettingId, region) },
    ],
    GetParametersByPathCommand: (input, names, region) => [
      { action: "ssm:GetParametersByPath", resource: arn.parameter(names.secretsPath(input.Path), region) },
      ...(input.WithDecryption ? [decryptThroughSsm(region)] : []),
    ],
  },
};

/** Whether the table maps the recorded call's command. */
export const isMapped = (record: CallRecord) => Boolean(CALL_TABLE[record.client]?.[record.command]);

/** The member account a recorded call acted in, if it was not the hub's own. */
export const memberAccountOf = (record: CallRecord): string | undefined =>
  record.account && record.account !== record.naming.hubAccountId ? record.account : undefined;

/**
 * The authorisations of one recorded call; undefined when the table has no row for its command.
 * A call in a member account is authorised there, on that account's resources.
 */
export function requestsOf(record: CallRecord, names: NamingMap): IamRequest[] | undefined {
  const row = CALL_TABLE[record.client]?.[record.command];
  const requests = row?.(record.input as Input, names, record.region);
  const member = memberAccountOf(record);
  return member ? requests?.map((request) => ({ ...request, resource: inAccount(request.resource, member) })) : requests;
}
