import { networkArns, networkChangesOf, stackRoleLimits } from "./account-limits.js";
import { arn, MANAGED, OUR_TAGS, requestTags } from "./arns.js";
import { type Case, casesOf, forEachRole } from "./case.js";
import { costReads } from "./deny-cost.js";

export type { Case } from "./case.js";

const LAMBDA_ROLES = ["ApiRole", "JanitorRole", "NotifyRole", "SlackRole", "ReadinessRole"];
const { theirEndpoint: THEIR_ENDPOINT, theirGroup: THEIR_GROUP, newEndpoint: NEW_ENDPOINT, newGroup: NEW_GROUP } = networkArns(arn);
const DEV_STACK = "ssm-knock-dev-vpc-0123456789abcdef0";
const PROD_STACK = "ssm-knock-prod-vpc-0123456789abcdef0";
const PROD_EXPIRE = arn.schedule("ssm-knock-prod", "ssm-knock-prod-expire-vpc-0123456789abcdef0");
const DEV_EXPIRE = arn.schedule("ssm-knock-dev", "ssm-knock-dev-expire-vpc-0123456789abcdef0");
const DEV_ROLE = (logical: string) => arn.role(`ssm-knock-dev-${logical}`);
const STACK_ROLE = DEV_ROLE("EndpointStackRole");
const TIMER_ROLE = DEV_ROLE("SchedulerRole");
const INSTANCE = arn.instance("i-0123456789abcdef0");
const passedTo = (service: string) => ({ "iam:PassedToService": service });

const api = casesOf("ApiRole");
const janitor = casesOf("JanitorRole");
const notify = casesOf("NotifyRole");
const slack = casesOf("SlackRole");
const readiness = casesOf("ReadinessRole");
const stack = casesOf("EndpointStackRole");
const scheduler = casesOf("SchedulerRole");

/** The functions cannot touch the network themselves: only CloudFormation, with its own role, can. */
const networkChanges: Case[] = LAMBDA_ROLES.flatMap((role) => networkChangesOf(role, arn));

/** A stage, or another application, is out of reach. */
const otherStacksAndTimers: Case[] = [
  api("creates a prod stack", "cloudformation:CreateStack", arn.stack(PROD_STACK)),
  api("updates a prod stack", "cloudformation:UpdateStack", arn.stack(PROD_STACK)),
  api("deletes a prod stack", "cloudformation:DeleteStack", arn.stack(PROD_STACK)),
  janitor("deletes a prod stack", "cloudformation:DeleteStack", arn.stack(PROD_STACK)),
  janitor("reads a prod stack's events", "cloudformation:DescribeStackEvents", arn.stack(PROD_STACK)),
  api(
    "creates a stack under the unstaged prefix every stage used to share",
    "cloudformation:CreateStack",
    arn.stack("ssm-knock-vpc-0123456789abcdef0"),
  ),
  api("creates a stack of another application", "cloudformation:CreateStack", arn.stack("payments-prod")),
  janitor("deletes a stack of another application", "cloudformation:DeleteStack", arn.stack("payments-prod")),
  slack("creates a stack of its stage", "cloudformation:CreateStack", arn.stack(DEV_STACK)),
  notify("deletes a stack of its stage", "cloudformation:DeleteStack", arn.stack(DEV_STACK)),
  api("creates a prod timer", "scheduler:CreateSchedule", PROD_EXPIRE),
  janitor("moves a prod timer", "scheduler:UpdateSchedule", PROD_EXPIRE),
  janitor("deletes a prod timer", "scheduler:DeleteSchedule", PROD_EXPIRE),
  notify("arms a prod warning", "scheduler:CreateSchedule", arn.schedule("ssm-knock-prod", "ssm-knock-prod-warn-vpc-0123456789abcdef0")),
  api("reads a prod timer", "scheduler:GetSchedule", PROD_EXPIRE),
  api(
    "puts a prod-named timer in its own group",
    "scheduler:CreateSchedule",
    arn.schedule("ssm-knock-dev", "ssm-knock-prod-expire-vpc-0123456789abcdef0"),
  ),
  janitor(
    "deletes another application's timer in the default group",
    "scheduler:DeleteSchedule",
    arn.schedule("default", "nightly-backup"),
  ),
  notify("moves its stage's expiry timer (it arms warnings only)", "scheduler:UpdateSchedule", DEV_EXPIRE),
  api("creates prod's schedule group", "scheduler:CreateScheduleGroup", arn.scheduleGroup("ssm-knock-prod")),
  notify("reads prod's secrets", "ssm:GetParametersByPath", arn.parameter("/apps/ssm-knock/prod/")),
  slack("reads every parameter under /apps", "ssm:GetParametersByPath", arn.parameter("/apps/")),
  slack(
    "invokes the expire function (it hands work to the slack worker only)",
    "lambda:InvokeFunction",
    arn.function("ssm-knock-dev-expire"),
  ),
  api("invokes prod's notify function", "lambda:InvokeFunction", arn.function("ssm-knock-prod-notify")),
];

/** Each role goes only to the service that uses it, and only this deployment's roles go anywhere. */
const roleHandOvers: Case[] = [
  api("hands the stack role to Lambda", "iam:PassRole", STACK_ROLE, passedTo("lambda.amazonaws.com")),
  api("hands the stack role to EC2", "iam:PassRole", STACK_ROLE, passedTo("ec2.amazonaws.com")),
  api("hands the timer role to CloudFormation", "iam:PassRole", TIMER_ROLE, passedTo("cloudformation.amazonaws.com")),
  janitor("hands the stack role to Scheduler", "iam:PassRole", STACK_ROLE, passedTo("scheduler.amazonaws.com")),
  api(
    "hands an administrator role to CloudFormation",
    "iam:PassRole",
    arn.role("OrganizationAdmin"),
    passedTo("cloudformation.amazonaws.com"),
  ),
  notify(
    "hands the stack role to CloudFormation (it never creates stacks)",
    "iam:PassRole",
    STACK_ROLE,
    passedTo("cloudformation.amazonaws.com"),
  ),
  slack("hands the timer role to Scheduler (it never arms timers)", "iam:PassRole", TIMER_ROLE, passedTo("scheduler.amazonaws.com")),
];

const tagged = (value: string) => requestTags({ ...OUR_TAGS, [MANAGED]: value });

/** CloudFormation's role creates only tagged resources and changes only the ones it made (the limits every account shares first). */
const stackRole: Case[] = [
  ...stackRoleLimits(arn),
  stack("creates a group tagged managed=yes", "ec2:CreateSecurityGroup", NEW_GROUP, tagged("yes")),
  stack("attaches a group it did not create to a new, tagged endpoint", "ec2:CreateVpcEndpoint", THEIR_GROUP, requestTags(OUR_TAGS)),
  stack("removes a rule of a group it did not create", "ec2:RevokeSecurityGroupIngress", THEIR_GROUP),
  stack("adds egress to a group it did not create", "ec2:AuthorizeSecurityGroupEgress", THEIR_GROUP),
  stack("rewords a rule of a group it did not create", "ec2:UpdateSecurityGroupRuleDescriptionsIngress", THEIR_GROUP),
  stack("changes an endpoint it did not create", "ec2:ModifyVpcEndpoint", THEIR_ENDPOINT),
  stack("untags a group it did not create", "ec2:DeleteTags", THEIR_GROUP),
  stack("tags an instance on its creation", "ec2:CreateTags", arn.ec2("instance", "i-0123456789abcdef0"), {
    "ec2:CreateAction": "RunInstances",
    ...requestTags(OUR_TAGS),
  }),
  stack("passes a role on", "iam:PassRole", STACK_ROLE, passedTo("ec2.amazonaws.com")),
  // Listed by the VPCEndpoint handlers, used only for service-network and cross-region endpoints,
  // which the endpoint template never makes (test/build/data/cfn-handler-permissions.json).
  stack("associates a VPC with a VPC Lattice service network", "vpc-lattice:CreateServiceNetworkVpcEndpointAssociation", "*"),
  stack("creates an endpoint to another region's service", "vpce:AllowMultiRegion", NEW_ENDPOINT),
];

/** Scheduler's role reaches its two targets and its dead-letter queue, nothing else. */
const schedulerRole: Case[] = [
  scheduler("invokes the open function", "lambda:InvokeFunction", arn.function("ssm-knock-dev-open")),
  scheduler("invokes the notify function", "lambda:InvokeFunction", arn.function("ssm-knock-dev-notify")),
  scheduler("invokes the slack worker", "lambda:InvokeFunction", arn.function("ssm-knock-dev-slack-worker")),
  scheduler("invokes prod's expire function", "lambda:InvokeFunction", arn.function("ssm-knock-prod-expire")),
  scheduler(
    "invokes an expire function of the same name in another region",
    "lambda:InvokeFunction",
    arn.function("ssm-knock-dev-expire", "eu-west-1"),
  ),
  scheduler("writes to another queue", "sqs:SendMessage", arn.queue("ssm-knock-prod-schedule-dlq")),
  scheduler("deletes a stack", "cloudformation:DeleteStack", arn.stack(DEV_STACK)),
];

/** Touching an instance is opt-in: the default deployment (allowReboot false) lets no role reboot one. */
const reboots: Case[] = forEachRole(
  [...LAMBDA_ROLES, "EndpointStackRole"],
  "reboots an instance where the deployment does not allow reboots",
  "ec2:RebootInstances",
  INSTANCE,
);

/** The readiness watch reads and arms its own timers; it changes nothing else. */
const readinessWatch: Case[] = [
  readiness("deletes a session's stack", "cloudformation:DeleteStack", arn.stack(DEV_STACK)),
  readiness("moves a session's expiry timer", "scheduler:UpdateSchedule", DEV_EXPIRE),
  readiness(
    "arms prod's watch",
    "scheduler:CreateSchedule",
    arn.schedule("ssm-knock-prod", "ssm-knock-prod-watch-a-vpc-0123456789abcdef0"),
  ),
  readiness("stops an instance", "ec2:StopInstances", INSTANCE),
  readiness("changes a role's policies", "iam:AttachRolePolicy", arn.role("app-instance-role")),
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
