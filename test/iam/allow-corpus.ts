import { arn } from "./arns.js";
import { type Case, casesOf, forEachRole } from "./case.js";

const VPC = "vpc-0123456789abcdef0";
const DEV_GROUP = "ssm-knock-dev";
const passedTo = (service: string) => ({ "iam:PassedToService": service });
const devRole = (logical: string) => arn.role(`ssm-knock-dev-${logical}`);
const janitor = casesOf("JanitorRole");
const slack = casesOf("SlackRole");
const scheduler = casesOf("SchedulerRole");

/**
 * What the roles must allow beyond the calls the suites record (test/calls/): paths the code takes
 * only when something went wrong, and what the stage's names and the secrets path look like.
 */
export const ALLOW_CORPUS: Case[] = [
  // upsertTimer re-creates a deleted schedule group, from every function that arms timers.
  ...forEachRole(
    ["ApiRole", "JanitorRole", "NotifyRole", "ReadinessRole"],
    "re-creates its stage's schedule group",
    "scheduler:CreateScheduleGroup",
    arn.scheduleGroup(DEV_GROUP),
  ),
  // The stack-events function reads why an update rolled back and re-aligns both timers.
  janitor("reads a rolled-back stack's events", "cloudformation:DescribeStackEvents", arn.stack(`ssm-knock-dev-${VPC}`)),
  ...["expire", "warn"].flatMap((kind) =>
    ["scheduler:CreateSchedule", "scheduler:UpdateSchedule"].map((action) =>
      janitor(`${action.split(":")[1]} on the ${kind} timer`, action, arn.schedule(DEV_GROUP, `ssm-knock-dev-${kind}-${VPC}`)),
    ),
  ),
  janitor("hands the timer role to Scheduler", "iam:PassRole", devRole("SchedulerRole"), passedTo("scheduler.amazonaws.com")),
  // The stage's own stacks, by the stage's prefix.
  ...["cloudformation:CreateStack", "cloudformation:UpdateStack", "cloudformation:DeleteStack"].map((action) =>
    casesOf("ApiRole")(`${action.split(":")[1]} on its stage's stack`, action, arn.stack(`ssm-knock-dev-${VPC}`, "eu-west-1")),
  ),
  // Sessions open in every allowed region: the open reads that region's Session Manager preferences.
  casesOf("ApiRole")(
    "reads the Session Manager preferences of another allowed region",
    "ssm:GetDocument",
    arn.document("SSM-SessionManagerRunShell", "eu-west-1"),
  ),
  // GetParametersByPath is authorised on the Path as sent, with or without its trailing slash.
  ...["/apps/ssm-knock/dev/", "/apps/ssm-knock/dev"].flatMap((path) =>
    forEachRole(["NotifyRole", "SlackRole"], `reads the secrets under ${path}`, "ssm:GetParametersByPath", arn.parameter(path)),
  ),
  // Session events leave every emitting function through one asynchronous invocation of notify;
  // the Slack routes hand their work to the slack worker (neither client is recorded: the suites
  // deliver in process).
  ...forEachRole(
    ["ApiRole", "JanitorRole"],
    "hands a session event to the notify function",
    "lambda:InvokeFunction",
    arn.function("ssm-knock-dev-notify"),
  ),
  slack("hands a Slack request to the slack worker", "lambda:InvokeFunction", arn.function("ssm-knock-dev-slack-worker")),
  scheduler("delivers an expiry timer", "lambda:InvokeFunction", arn.function("ssm-knock-dev-expire")),
  scheduler("delivers a warn timer", "lambda:InvokeFunction", arn.function("ssm-knock-dev-notify-expiring")),
  scheduler("parks an undeliverable timer", "sqs:SendMessage", arn.queue("ssm-knock-dev-schedule-dlq")),
];
