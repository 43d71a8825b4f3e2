import { ACCOUNT, REGION } from "./deployment.js";

/** A stack id's random part; any fixed one does (a policy matches `stack/<name>/*`). */
const STACK_GUID = "6b1a1d20-0f4e-11f1-8c2a-0a1b2c3d4e5f";

/** ARNs as AWS authorises requests against them (Service Authorization Reference formats), in one account. */
export const arnsIn = (ACCOUNT: string) => ({
  stack: (name: string, region = REGION) => `arn:aws:cloudformation:${region}:${ACCOUNT}:stack/${name}/${STACK_GUID}`,
  schedule: (group: string, name: string, region = REGION) => `arn:aws:scheduler:${region}:${ACCOUNT}:schedule/${group}/${name}`,
  scheduleGroup: (group: string, region = REGION) => `arn:aws:scheduler:${region}:${ACCOUNT}:schedule-group/${group}`,
  ec2: (type: string, id: string, region = REGION) => `arn:aws:ec2:${region}:${ACCOUNT}:${type}/${id}`,
  role: (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`,
  /** An IAM ARN as it was sent (a role's, an instance profile's or a policy's), in the suite's account. */
  iam: (sent: string) => sent.replace(/^arn:aws:iam::\d{12}:/, `arn:aws:iam::${ACCOUNT}:`),
  instanceProfile: (name: string) => `arn:aws:iam::${ACCOUNT}:instance-profile/${name}`,
  instance: (id: string, region = REGION) => `arn:aws:ec2:${region}:${ACCOUNT}:instance/${id}`,
  serviceSetting: (id: string, region = REGION) => `arn:aws:ssm:${region}:${ACCOUNT}:servicesetting${id}`,
  document: (name: string, region = REGION) => `arn:aws:ssm:${region}:${ACCOUNT}:document/${name}`,
  function: (name: string, region = REGION) => `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`,
  /** SSM authorises a parameter, or a GetParametersByPath Path, as "parameter" followed by the name or path as sent. */
  parameter: (nameOrPath: string, region = REGION) => `arn:aws:ssm:${region}:${ACCOUNT}:parameter${nameOrPath}`,
  queue: (name: string, region = REGION) => `arn:aws:sqs:${region}:${ACCOUNT}:${name}`,
  eventBus: (name: string, region = REGION) => `arn:aws:events:${region}:${ACCOUNT}:event-bus/${name}`,
});

/** ARNs in the account every simulation of the hub deploys into. */
export const arn = arnsIn(ACCOUNT);

/** The same ARN in another account (its account field replaced), as a call made there is authorised. */
export function inAccount(resource: string, account: string): string {
  const parts = resource.split(":");
  if (parts[0] !== "arn" || parts.length < 6 || parts[4] !== ACCOUNT) return resource;
  parts[4] = account;
  return parts.join(":");
}

/** The tag that marks what ssm-knock made, as request and resource condition keys. */
export const MANAGED = "ssm-knock:managed";
export const requestTags = (tags: Record<string, string>) => ({
  ...Object.fromEntries(Object.entries(tags).map(([key, value]) => [`aws:RequestTag/${key}`, value])),
  "aws:TagKeys": Object.keys(tags),
});
export const resourceTags = (tags: Record<string, string>) =>
  Object.fromEntries(Object.entries(tags).map(([key, value]) => [`aws:ResourceTag/${key}`, value]));
/** The tags the endpoint template puts on every endpoint and group. */
export const OUR_TAGS = { [MANAGED]: "true", "ssm-knock:expires-at": "2026-11-30T12:00:00Z", "ssm-knock:requested-by": "alice" };
