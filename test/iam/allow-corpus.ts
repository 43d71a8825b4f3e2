import { arn } from "./arns.js";
import type { Case } from "./deny-corpus.js";

const VPC = "vpc-0123456789abcdef0";
const DEV_GROUP = "ssm-knock-dev";
const passedTo = (service: string) => ({ "iam:PassedToService": service });
const devRole = (logical: string) => arn.role(`ssm-knock-dev-${logical}`);

/**
 * What the roles must allow beyond the calls the suites record (test/calls/): paths the code takes
 * only when something went wrong, and what the stage's names and the secrets path look like.
 */
export const ALLOW_CORPUS: Case[] = [
  // upsertTimer re-creates a deleted schedule group, from every function that arms timers.
  ...["ApiRole", "JanitorRole", "NotifyRole", "ReadinessRole"].map((role) => ({
    role,
    why: "re-creates its stage's schedule group",
    request: { action: "scheduler:CreateScheduleGroup", resource: arn.scheduleGroup(DEV_GROUP) },
  })),
  // The stack-events function reads why an update rolled back and re-aligns both timers.
  {
    role: "JanitorRole",
    why: "reads a rolled-back stack's events",
    request: { action: "cloudformation:DescribeStackEvents", resource: arn.stack(`ssm-knock-dev-${VPC}`) },
  },
  ...["expire", "warn"].flatMap((kind) =>
    ["scheduler:CreateSchedule", "scheduler:UpdateSchedule"].map((action) => ({
      role: "JanitorRole",
      why: `${action.split(":")[1]} on the ${kind} timer`,
      request: { action, resource: arn.schedule(DEV_GROUP, `ssm-knock-dev-${kind}-${VPC}`) },
    })),
  ),
  {
    role: "JanitorRole",
    why: "hands the timer role to Scheduler",
    request: { action: "iam:PassRole", resource: devRole("SchedulerRole"), context: passedTo("scheduler.amazonaws.com") },
  },
  // The stage's own stacks, by the stage's prefix.
  ...["cloudformation:CreateStack", "cloudformation:UpdateStack", "cloudformation:DeleteStack"].map((action) => ({
    role: "ApiRole",
    why: `${action.split(":")[1]} on its stage's stack`,
    request: { action, resource: arn.stack(`ssm-knock-dev-${VPC}`, "eu-west-1") },
  })),
  // Sessions open in every allowed region: the open reads that region's Session Manager preferences.
  {
    role: "ApiRole",
    why: "reads the Session Manager preferences of another allowed region",
    request: { action: "ssm:GetDocument", resource: arn.document("SSM-SessionManagerRunShell", "eu-west-1") },
  },
  // GetParametersByPath is authorised on the Path as sent, with or without its trailing slash.
  ...["/apps/ssm-knock/dev/", "/apps/ssm-knock/dev"].flatMap((path) =>
    ["NotifyRole", "SlackRole"].map((role) => ({
      role,
      why: `reads the secrets under ${path}`,
      request: { action: "ssm:GetParametersByPath", resource: arn.parameter(path) },
    })),
  ),
  // Session events leave every emitting function through one asynchronous invocation of notify;
  // the Slack routes hand their work to the slack worker (neither client is recorded: the suites
  // deliver in process).
  ...["ApiRole", "JanitorRole"].map((role) => ({
    role,
    why: "hands a session event to the notify function",
    request: { action: "lambda:InvokeFunction", resource: arn.function("ssm-knock-dev-notify") },
  })),
  {
    role: "SlackRole",
    why: "hands a Slack request to the slack worker",
    request: { action: "lambda:InvokeFunction", resource: arn.function("ssm-knock-dev-slack-worker") },
  },
  {
    role: "SchedulerRole",
    why: "delivers an expiry timer",
    request: { action: "lambda:InvokeFunction", resource: arn.function("ssm-knock-dev-expire") },
  },
  {
    role: "SchedulerRole",
    why: "delivers a warn timer",
    request: { action: "lambda:InvokeFunction", resource: arn.function("ssm-knock-dev-notify-expiring") },
  },
  {
    role: "SchedulerRole",
    why: "parks an undeliverable timer",
    request: { action: "sqs:SendMessage", resource: arn.queue("ssm-knock-dev-schedule-dlq") },
  },
];
