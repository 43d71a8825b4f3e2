import { arnsIn, MANAGED, OUR_TAGS, requestTags, resourceTags } from "./arns.js";
import type { Case } from "./deny-corpus.js";
import type { IamRequest } from "./simulate.js";
import { MEMBER } from "./target.js";

// What the target template's roles (template/target-account.yaml, deployed in MEMBER) must be
// refused: TargetRole may do in its account only what the hub's own roles may do in the hub, and
// the member's endpoint-stack role is held to the same limits as the hub's.

const arn = arnsIn(MEMBER);
const target = (why: string, request: IamRequest): Case => ({ role: "TargetRole", why, request });
const stack = (why: string, request: IamRequest): Case => ({ role: "EndpointStackRole", why, request });
const ours = resourceTags(OUR_TAGS);
const OUR_ENDPOINT = arn.ec2("vpc-endpoint", "vpce-0aaaaaaaaaaaaaaa1");
const OUR_GROUP = arn.ec2("security-group", "sg-0aaaaaaaaaaaaaaa1");
const THEIR_GROUP = arn.ec2("security-group", "sg-0bbbbbbbbbbbbbbb2");
const THEIR_ENDPOINT = arn.ec2("vpc-endpoint", "vpce-0bbbbbbbbbbbbbbb2");
const NEW_ENDPOINT = arn.ec2("vpc-endpoint", "vpce-0ccccccccccccccc3");
const NEW_GROUP = arn.ec2("security-group", "sg-0ccccccccccccccc3");
const INSTANCE = arn.instance("i-0123456789abcdef0");
const STACK_ROLE = arn.role("ssm-knock-dev-target-endpoint-stacks");
const passedTo = (service: string) => ({ "iam:PassedToService": service });

/** Like the hub's functions, the target role cannot touch the network itself: only CloudFormation can. */
const networkChanges: Case[] = [
  target("creates an endpoint itself", { action: "ec2:CreateVpcEndpoint", resource: NEW_ENDPOINT, context: requestTags(OUR_TAGS) }),
  target("deletes an endpoint itself", { action: "ec2:DeleteVpcEndpoints", resource: OUR_ENDPOINT, context: ours }),
  target("creates a security group itself", { action: "ec2:CreateSecurityGroup", resource: NEW_GROUP, context: requestTags(OUR_TAGS) }),
  target("opens a port on a group itself", { action: "ec2:AuthorizeSecurityGroupIngress", resource: OUR_GROUP, context: ours }),
  target("turns a VPC's DNS attributes on or off", { action: "ec2:ModifyVpcAttribute", resource: arn.ec2("vpc", "vpc-0123456789abcdef0") }),
];

/** Other stages, other applications, and what the hub keeps for itself (timers, functions, secrets). */
const outOfReach: Case[] = [
  target("creates a prod stack", { action: "cloudformation:CreateStack", resource: arn.stack("ssm-knock-prod-vpc-0123456789abcdef0") }),
  target("deletes a prod stack", { action: "cloudformation:DeleteStack", resource: arn.stack("ssm-knock-prod-vpc-0123456789abcdef0") }),
  target("deletes a stack of another application", { action: "cloudformation:DeleteStack", resource: arn.stack("payments-prod") }),
  target("updates a stack of another application", { action: "cloudformation:UpdateStack", resource: arn.stack("payments-prod") }),
  target("creates a timer in the member account (timers stay in the hub)", {
    action: "scheduler:CreateSchedule",
    resource: arn.schedule("ssm-knock-dev", "ssm-knock-dev-expire-vpc-0123456789abcdef0"),
  }),
  target("invokes a function", { action: "lambda:InvokeFunction", resource: arn.function("payments-api") }),
  target("reads parameters", { action: "ssm:GetParametersByPath", resource: arn.parameter("/apps/") }),
  ...["AWS-StartSSHSession", "payments-runbook"].map((name) =>
    target(`reads the document ${name}, not the Session Manager preferences`, { action: "ssm:GetDocument", resource: arn.document(name) }),
  ),
  target("assumes another role (no chaining)", { action: "sts:AssumeRole", resource: arn.role("OrganizationAccountAccessRole") }),
];

/** It opens the way for Session Manager; it never uses it, nor runs anything on an instance. */
const instances: Case[] = [
  target("starts a Session Manager session", { action: "ssm:StartSession", resource: INSTANCE }),
  target("runs a command on an instance", { action: "ssm:SendCommand", resource: INSTANCE }),
  target("turns Default Host Management Configuration on", {
    action: "ssm:UpdateServiceSetting",
    resource: `arn:aws:ssm:us-east-1:${MEMBER}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`,
  }),
  target("stops an instance", { action: "ec2:StopInstances", resource: INSTANCE }),
  target("reboots an instance where the StackSet does not allow reboots", { action: "ec2:RebootInstances", resource: INSTANCE }),
  target("changes a role's policies", { action: "iam:AttachRolePolicy", resource: arn.role("app-instance-role") }),
  target("hands a role to an instance", {
    action: "iam:PassRole",
    resource: arn.role("app-instance-role"),
    context: passedTo("ec2.amazonaws.com"),
  }),
];

/** The member's endpoint-stack role goes to CloudFormation only, and only that role. */
const handOvers: Case[] = [
  target("hands the stack role to Lambda", { action: "iam:PassRole", resource: STACK_ROLE, context: passedTo("lambda.amazonaws.com") }),
  target("hands an administrator role to CloudFormation", {
    action: "iam:PassRole",
    resource: arn.role("OrganizationAccountAccessRole"),
    context: passedTo("cloudformation.amazonaws.com"),
  }),
  target("hands itself to CloudFormation", {
    action: "iam:PassRole",
    resource: arn.role("ssm-knock-dev-target"),
    context: passedTo("cloudformation.amazonaws.com"),
  }),
];

const tagged = (value: string) => requestTags({ ...OUR_TAGS, [MANAGED]: value });

/** The member's endpoint-stack role: tagged creations and its own resources only, as the hub's. */
const stackRole: Case[] = [
  stack("creates an untagged endpoint", { action: "ec2:CreateVpcEndpoint", resource: NEW_ENDPOINT }),
  stack("creates an endpoint tagged managed=false", { action: "ec2:CreateVpcEndpoint", resource: NEW_ENDPOINT, context: tagged("false") }),
  stack("creates an untagged security group", { action: "ec2:CreateSecurityGroup", resource: NEW_GROUP }),
  stack("attaches a group it did not create to its endpoint", { action: "ec2:ModifyVpcEndpoint", resource: THEIR_GROUP }),
  stack("opens a port on a group it did not create", { action: "ec2:AuthorizeSecurityGroupIngress", resource: THEIR_GROUP }),
  stack("deletes a group it did not create", { action: "ec2:DeleteSecurityGroup", resource: THEIR_GROUP }),
  stack("deletes an endpoint it did not create", { action: "ec2:DeleteVpcEndpoints", resource: THEIR_ENDPOINT }),
  stack("tags a group it did not create as its own", {
    action: "ec2:CreateTags",
    resource: THEIR_GROUP,
    context: requestTags({ [MANAGED]: "true" }),
  }),
  stack("launches an instance", { action: "ec2:RunInstances", resource: arn.ec2("instance", "*") }),
  stack("creates a stack", { action: "cloudformation:CreateStack", resource: arn.stack("ssm-knock-dev-vpc-0123456789abcdef0") }),
  stack("reboots an instance", { action: "ec2:RebootInstances", resource: INSTANCE }),
];

export const TARGET_DENY_CORPUS: Case[] = [...networkChanges, ...outOfReach, ...instances, ...handOvers, ...stackRole];
