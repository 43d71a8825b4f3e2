import { networkChangesOf, stackRoleLimits } from "./account-limits.js";
import { arnsIn } from "./arns.js";
import { type Case, casesOf } from "./case.js";
import { MEMBER } from "./target.js";

// What the target template's roles (template/target-account.yaml, deployed in MEMBER) must be
// refused: TargetRole may do in its account only what the hub's own roles may do in the hub, and
// the member's endpoint-stack role is held to the same limits as the hub's.

const arn = arnsIn(MEMBER);
const target = casesOf("TargetRole");
const INSTANCE = arn.instance("i-0123456789abcdef0");
const STACK_ROLE = arn.role("ssm-knock-dev-target-endpoint-stacks");
const passedTo = (service: string) => ({ "iam:PassedToService": service });

/** Like the hub's functions, the target role cannot touch the network itself: only CloudFormation can. */
const networkChanges: Case[] = [
  ...networkChangesOf("TargetRole", arn),
  target("turns a VPC's DNS attributes on or off", "ec2:ModifyVpcAttribute", arn.ec2("vpc", "vpc-0123456789abcdef0")),
];

/** Other stages, other applications, and what the hub keeps for itself (timers, functions, secrets). */
const outOfReach: Case[] = [
  target("creates a prod stack", "cloudformation:CreateStack", arn.stack("ssm-knock-prod-vpc-0123456789abcdef0")),
  target("deletes a prod stack", "cloudformation:DeleteStack", arn.stack("ssm-knock-prod-vpc-0123456789abcdef0")),
  target("deletes a stack of another application", "cloudformation:DeleteStack", arn.stack("payments-prod")),
  target("updates a stack of another application", "cloudformation:UpdateStack", arn.stack("payments-prod")),
  target(
    "creates a timer in the member account (timers stay in the hub)",
    "scheduler:CreateSchedule",
    arn.schedule("ssm-knock-dev", "ssm-knock-dev-expire-vpc-0123456789abcdef0"),
  ),
  target("invokes a function", "lambda:InvokeFunction", arn.function("payments-api")),
  target("reads parameters", "ssm:GetParametersByPath", arn.parameter("/apps/")),
  ...["AWS-StartSSHSession", "payments-runbook"].map((name) =>
    target(`reads the document ${name}, not the Session Manager preferences`, "ssm:GetDocument", arn.document(name)),
  ),
  target("assumes another role (no chaining)", "sts:AssumeRole", arn.role("OrganizationAccountAccessRole")),
];

/** It opens the way for Session Manager; it never uses it, nor runs anything on an instance. */
const instances: Case[] = [
  target("starts a Session Manager session", "ssm:StartSession", INSTANCE),
  target("runs a command on an instance", "ssm:SendCommand", INSTANCE),
  target(
    "turns Default Host Management Configuration on",
    "ssm:UpdateServiceSetting",
    `arn:aws:ssm:us-east-1:${MEMBER}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`,
  ),
  target("stops an instance", "ec2:StopInstances", INSTANCE),
  target("reboots an instance where the StackSet does not allow reboots", "ec2:RebootInstances", INSTANCE),
  target("changes a role's policies", "iam:AttachRolePolicy", arn.role("app-instance-role")),
  target("hands a role to an instance", "iam:PassRole", arn.role("app-instance-role"), passedTo("ec2.amazonaws.com")),
];

/** The member's endpoint-stack role goes to CloudFormation only, and only that role. */
const handOvers: Case[] = [
  target("hands the stack role to Lambda", "iam:PassRole", STACK_ROLE, passedTo("lambda.amazonaws.com")),
  target(
    "hands an administrator role to CloudFormation",
    "iam:PassRole",
    arn.role("OrganizationAccountAccessRole"),
    passedTo("cloudformation.amazonaws.com"),
  ),
  target("hands itself to CloudFormation", "iam:PassRole", arn.role("ssm-knock-dev-target"), passedTo("cloudformation.amazonaws.com")),
];

/** The member's endpoint-stack role: tagged creations and its own resources only, as the hub's. */
const stackRole: Case[] = [...stackRoleLimits(arn), casesOf("EndpointStackRole")("reboots an instance", "ec2:RebootInstances", INSTANCE)];

export const TARGET_DENY_CORPUS: Case[] = [...networkChanges, ...outOfReach, ...instances, ...handOvers, ...stackRole];
