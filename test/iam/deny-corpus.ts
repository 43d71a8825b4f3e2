import { arn, MANAGED, OUR_TAGS, requestTags, resourceTags } from "./arns.js";
import { costReads } from "./deny-cost.js";
import type { IamRequest } from "./simulate.js";

/** A request one of the deployment's roles must be refused, and why that matters. */
export interface Case {
  role: string;
  why: string;
  request: IamRequest;
}

const LAMBDA_ROLES = ["ApiRole", "JanitorRole", "NotifyRole", "SlackRole", "ReadinessRole"];
const ours = resourceTags(OUR_TAGS);
const OUR_ENDPOINT = arn.ec2("vpc-endpoint", "vpce-0aaaaaaaaaaaaaaa1");
const OUR_GROUP = arn.ec2("security-group", "sg-0aaaaaaaaaaaaaaa1");
const THEIR_ENDPOINT = arn.ec2("vpc-endpoint", "vpce-0bbbbbbbbbbbbbbb2");
const THEIR_GROUP = arn.ec2("security-group", "sg-0bbbbbbbbbbbbbbb2");
const NEW_ENDPOINT = arn.ec2("vpc-endpoint", "vpce-0ccccccccccccccc3");
const NEW_GROUP = arn.ec2("security-group", "sg-0ccccccccccccccc3");
const DEV_STACK = "ssm-knock-dev-vpc-0123456789abcdef0";
const PROD_STACK = "ssm-knock-prod-vpc-0123456789abcdef0";
const PROD_EXPIRE = arn.schedule("ssm-knock-prod", "ssm-knock-prod-expire-vpc-0123456789abcdef0");
const DEV_ROLE = (logical: string) => arn.role(`ssm-knock-dev-${logical}`);

/** The functions cannot touch the network themselves: only CloudFormation, with its own role, can. */
const networkChanges: Case[] = LAMBDA_ROLES.flatMap((role) => [
  {
    role,
    why: "creates an endpoint itself",
    request: { action: "ec2:CreateVpcEndpoint", resource: NEW_ENDPOINT, context: requestTags(OUR_TAGS) },
  },
  { role, why: "deletes an endpoint itself", request: { action: "ec2:DeleteVpcEndpoints", resource: OUR_ENDPOINT, context: ours } },
  {
    role,
    why: "creates a security group itself",
    request: { action: "ec2:CreateSecurityGroup", resource: NEW_GROUP, context: requestTags(OUR_TAGS) },
  },
  {
    role,
    why: "opens a port on a group itself",
    request: { action: "ec2:AuthorizeSecurityGroupIngress", resource: OUR_GROUP, context: ours },
  },
]);

/** A stage, or another application, is out of reach. */
const otherStacksAndTimers: Case[] = [
  { role: "ApiRole", why: "creates a prod stack", request: { action: "cloudformation:CreateStack", resource: arn.stack(PROD_STACK) } },
  { role: "ApiRole", why: "updates a prod stack", request: { action: "cloudformation:UpdateStack", resource: arn.stack(PROD_STACK) } },
  { role: "ApiRole", why: "deletes a prod stack", request: { action: "cloudformation:DeleteStack", resource: arn.stack(PROD_STACK) } },
  { role: "JanitorRole", why: "deletes a prod stack", request: { action: "cloudformation:DeleteStack", resource: arn.stack(PROD_STACK) } },
  {
    role: "JanitorRole",
    why: "reads a prod stack's events",
    request: { action: "cloudformation:DescribeStackEvents", resource: arn.stack(PROD_STACK) },
  },
  {
    role: "ApiRole",
    why: "creates a stack under the unstaged prefix every stage used to share",
    request: { action: "cloudformation:CreateStack", resource: arn.stack("ssm-knock-vpc-0123456789abcdef0") },
  },
  {
    role: "ApiRole",
    why: "creates a stack of another application",
    request: { action: "cloudformation:CreateStack", resource: arn.stack("payments-prod") },
  },
  {
    role: "JanitorRole",
    why: "deletes a stack of another application",
    request: { action: "cloudformation:DeleteStack", resource: arn.stack("payments-prod") },
  },
  {
    role: "SlackRole",
    why: "creates a stack of its stage",
    request: { action: "cloudformation:CreateStack", resource: arn.stack(DEV_STACK) },
  },
  {
    role: "NotifyRole",
    why: "deletes a stack of its stage",
    request: { action: "cloudformation:DeleteStack", resource: arn.stack(DEV_STACK) },
  },
  { role: "ApiRole", why: "creates a prod timer", request: { action: "scheduler:CreateSchedule", resource: PROD_EXPIRE } },
  { role: "JanitorRole", why: "moves a prod timer", request: { action: "scheduler:UpdateSchedule", resource: PROD_EXPIRE } },
  { role: "JanitorRole", why: "deletes a prod timer", request: { action: "scheduler:DeleteSchedule", resource: PROD_EXPIRE } },
  {
    role: "NotifyRole",
    why: "arms a prod warning",
    request: { action: "scheduler:CreateSchedule", resource: arn.schedule("ssm-knock-prod", "ssm-knock-prod-warn-vpc-0123456789abcdef0") },
  },
  { role: "ApiRole", why: "reads a prod timer", request: { action: "scheduler:GetSchedule", resource: PROD_EXPIRE } },
  {
    role: "ApiRole",
    why: "puts a prod-named timer in its own group",
    request: { action: "scheduler:CreateSchedule", resource: arn.schedule("ssm-knock-dev", "ssm-knock-prod-expire-vpc-0123456789abcdef0") },
  },
  {
    role: "JanitorRole",
    why: "deletes another application's timer in the default group",
    request: { action: "scheduler:DeleteSchedule", resource: arn.schedule("default", "nightly-backup") },
  },
  {
    role: "NotifyRole",
    why: "moves its stage's expiry timer (it arms warnings only)",
    request: { action: "scheduler:UpdateSchedule", resource: arn.schedule("ssm-knock-dev", "ssm-knock-dev-expire-vpc-0123456789abcdef0") },
  },
  {
    role: "ApiRole",
    why: "creates prod's schedule group",
    request: { action: "scheduler:CreateScheduleGroup", resource: arn.scheduleGroup("ssm-knock-prod") },
  },
  {
    role: "NotifyRole",
    why: "reads prod's secrets",
    request: { action: "ssm:GetParametersByPath", resource: arn.parameter("/apps/ssm-knock/prod/") },
  },
  {
    role: "SlackRole",
    why: "reads every parameter under /apps",
    request: { action: "ssm:GetParametersByPath", resource: arn.parameter("/apps/") },
  },
  {
    role: "SlackRole",
    why: "invokes the expire function (it hands work to the slack worker only)",
    request: { action: "lambda:InvokeFunction", resource: arn.function("ssm-knock-dev-expire") },
  },
  {
    role: "ApiRole",
    why: "invokes prod's notify function",
    request: { action: "lambda:InvokeFunction", resource: arn.function("ssm-knock-prod-notify") },
  },
];

const passedTo = (service: string) => ({ "iam:PassedToService": service });

/** Each role goes only to the service that uses it, and only this deployment's roles go anywhere. */
const roleHandOvers: Case[] = [
  {
    role: "ApiRole",
    why: "hands the stack role to Lambda",
    request: { action: "iam:PassRole", resource: DEV_ROLE("EndpointStackRole"), context: passedTo("lambda.amazonaws.com") },
  },
  {
    role: "ApiRole",
    why: "hands the stack role to EC2",
    request: { action: "iam:PassRole", resource: DEV_ROLE("EndpointStackRole"), context: passedTo("ec2.amazonaws.com") },
  },
  {
    role: "ApiRole",
    why: "hands the timer role to CloudFormation",
    request: { action: "iam:PassRole", resource: DEV_ROLE("SchedulerRole"), context: passedTo("cloudformation.amazonaws.com") },
  },
  {
    role: "JanitorRole",
    why: "hands the stack role to Scheduler",
    request: { action: "iam:PassRole", resource: DEV_ROLE("EndpointStackRole"), context: passedTo("scheduler.amazonaws.com") },
  },
  {
    role: "ApiRole",
    why: "hands an administrator role to CloudFormation",
    request: { action: "iam:PassRole", resource: arn.role("OrganizationAdmin"), context: passedTo("cloudformation.amazonaws.com") },
  },
  {
    role: "NotifyRole",
    why: "hands the stack role to CloudFormation (it never creates stacks)",
    request: { action: "iam:PassRole", resource: DEV_ROLE("EndpointStackRole"), context: passedTo("cloudformation.amazonaws.com") },
  },
  {
    role: "SlackRole",
    why: "hands the timer role to Scheduler (it never arms timers)",
    request: { action: "iam:PassRole", resource: DEV_ROLE("SchedulerRole"), context: passedTo("scheduler.amazonaws.com") },
  },
];

const stack = (why: string, request: IamRequest): Case => ({ role: "EndpointStackRole", why, request });
const tagged = (value: string) => requestTags({ ...OUR_TAGS, [MANAGED]: value });

/** CloudFormation's role creates only tagged resources and changes only the ones it made. */
const stackRole: Case[] = [
  stack("creates an untagged endpoint", { action: "ec2:CreateVpcEndpoint", resource: NEW_ENDPOINT }),
  stack("creates an endpoint tagged managed=false", { action: "ec2:CreateVpcEndpoint", resource: NEW_ENDPOINT, context: tagged("false") }),
  stack("creates an untagged security group", { action: "ec2:CreateSecurityGroup", resource: NEW_GROUP }),
  stack("creates a group tagged managed=yes", { action: "ec2:CreateSecurityGroup", resource: NEW_GROUP, context: tagged("yes") }),
  stack("attaches a group it did not create to a new, tagged endpoint", {
    action: "ec2:CreateVpcEndpoint",
    resource: THEIR_GROUP,
    context: requestTags(OUR_TAGS),
  }),
  stack("attaches a group it did not create to its endpoint", { action: "ec2:ModifyVpcEndpoint", resource: THEIR_GROUP }),
  stack("opens a port on a group it did not create", { action: "ec2:AuthorizeSecurityGroupIngress", resource: THEIR_GROUP }),
  stack("removes a rule of a group it did not create", { action: "ec2:RevokeSecurityGroupIngress", resource: THEIR_GROUP }),
  stack("adds egress to a group it did not create", { action: "ec2:AuthorizeSecurityGroupEgress", resource: THEIR_GROUP }),
  stack("rewords a rule of a group it did not create", {
    action: "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
    resource: THEIR_GROUP,
  }),
  stack("deletes a group it did not create", { action: "ec2:DeleteSecurityGroup", resource: THEIR_GROUP }),
  stack("deletes an endpoint it did not create", { action: "ec2:DeleteVpcEndpoints", resource: THEIR_ENDPOINT }),
  stack("changes an endpoint it did not create", { action: "ec2:ModifyVpcEndpoint", resource: THEIR_ENDPOINT }),
  stack("tags a group it did not create as its own", {
    action: "ec2:CreateTags",
    resource: THEIR_GROUP,
    context: requestTags({ [MANAGED]: "true" }),
  }),
  stack("untags a group it did not create", { action: "ec2:DeleteTags", resource: THEIR_GROUP }),
  stack("tags an instance on its creation", {
    action: "ec2:CreateTags",
    resource: arn.ec2("instance", "i-0123456789abcdef0"),
    context: { "ec2:CreateAction": "RunInstances", ...requestTags(OUR_TAGS) },
  }),
  stack("launches an instance", { action: "ec2:RunInstances", resource: arn.ec2("instance", "*") }),
  stack("passes a role on", { action: "iam:PassRole", resource: DEV_ROLE("EndpointStackRole"), context: passedTo("ec2.amazonaws.com") }),
  stack("creates a stack", { action: "cloudformation:CreateStack", resource: arn.stack(DEV_STACK) }),
  // Listed by the VPCEndpoint handlers, used only for service-network and cross-region endpoints,
  // which the endpoint template never makes (test/build/data/cfn-handler-permissions.json).
  stack("associates a VPC with a VPC Lattice service network", {
    action: "vpc-lattice:CreateServiceNetworkVpcEndpointAssociation",
    resource: "*",
  }),
  stack("creates an endpoint to another region's service", { action: "vpce:AllowMultiRegion", resource: NEW_ENDPOINT }),
];

const scheduler = (why: string, request: IamRequest): Case => ({ role: "SchedulerRole", why, request });

/** Scheduler's role reaches its two targets and its dead-letter queue, nothing else. */
const schedulerRole: Case[] = [
  scheduler("invokes the open function", { action: "lambda:InvokeFunction", resource: arn.function("ssm-knock-dev-open") }),
  scheduler("invokes the notify function", { action: "lambda:InvokeFunction", resource: arn.function("ssm-knock-dev-notify") }),
  scheduler("invokes the slack worker", { action: "lambda:InvokeFunction", resource: arn.function("ssm-knock-dev-slack-worker") }),
  scheduler("invokes prod's expire function", { action: "lambda:InvokeFunction", resource: arn.function("ssm-knock-prod-expire") }),
  scheduler("invokes an expire function of the same name in another region", {
    action: "lambda:InvokeFunction",
    resource: arn.function("ssm-knock-dev-expire", "eu-west-1"),
  }),
  scheduler("writes to another queue", { action: "sqs:SendMessage", resource: arn.queue("ssm-knock-prod-schedule-dlq") }),
  scheduler("deletes a stack", { action: "cloudformation:DeleteStack", resource: arn.stack(DEV_STACK) }),
];

/** Touching an instance is opt-in: the default deployment (allowReboot false) lets no role reboot one. */
const INSTANCE = arn.instance("i-0123456789abcdef0");
const reboots: Case[] = [...LAMBDA_ROLES, "EndpointStackRole"].map((role) => ({
  role,
  why: "reboots an instance where the deployment does not allow reboots",
  request: { action: "ec2:RebootInstances", resource: INSTANCE },
}));

/** The readiness watch reads and arms its own timers; it changes nothing else. */
const readinessWatch: Case[] = [
  {
    role: "ReadinessRole",
    why: "deletes a session's stack",
    request: { action: "cloudformation:DeleteStack", resource: arn.stack(DEV_STACK) },
  },
  {
    role: "ReadinessRole",
    why: "moves a session's expiry timer",
    request: { action: "scheduler:UpdateSchedule", resource: arn.schedule("ssm-knock-dev", "ssm-knock-dev-expire-vpc-0123456789abcdef0") },
  },
  {
    role: "ReadinessRole",
    why: "arms prod's watch",
    request: {
      action: "scheduler:CreateSchedule",
      resource: arn.schedule("ssm-knock-prod", "ssm-knock-prod-watch-a-vpc-0123456789abcdef0"),
    },
  },
  { role: "ReadinessRole", why: "stops an instance", request: { action: "ec2:StopInstances", resource: INSTANCE } },
  {
    role: "ReadinessRole",
    why: "changes a role's policies",
    request: { action: "iam:AttachRolePolicy", resource: arn.role("app-instance-role") },
  },
];

export const DENY_CORPUS: Case[] = [
  ...networkChanges,
  ...otherStacksAndTimers,
  ...roleHandOvers,
  ...stackRole,
  ...schedulerRole,
  ...reboots,
  ...readinessWatch,
  ...costReads,
];
