// What the SSM Agent needs IAM to allow, and the shapes of the policy documents that allow it:
// shared by the AWS edge (which asks iam:SimulatePrincipalPolicy or reads the role's documents)
// and lib/readiness (which decides what that means for the instance).

export interface PolicyStatement {
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, unknown>;
}

export interface PolicyDocument {
  Version?: string;
  Statement?: PolicyStatement | PolicyStatement[];
}

/** One document of the role: where it came from, for messages, and its text. */
export interface NamedPolicy {
  /** An AWS managed or customer policy's ARN, or "inline:<name>". */
  name: string;
  document: PolicyDocument;
}

export type Decision = "allowed" | "explicitDeny" | "implicitDeny" | "conditional";

/** The calls the SSM Agent makes to come Online and carry sessions (AmazonSSMManagedInstanceCore grants them). */
export const AGENT_ACTIONS = [
  "ssm:UpdateInstanceInformation",
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
] as const;

/** What agents before 3.3.40.0 also call (the ec2messages half of AmazonSSMManagedInstanceCore). */
export const EC2MESSAGES_ACTIONS = [
  "ec2messages:AcknowledgeMessage",
  "ec2messages:DeleteMessage",
  "ec2messages:FailMessage",
  "ec2messages:GetEndpoint",
  "ec2messages:GetMessages",
  "ec2messages:SendReply",
] as const;

/** The resource IAM authorises an agent action on: the instance for ssm:*, "*" for the others. */
export function agentActionResource(action: string, instanceArn: string): string {
  return action.startsWith("ssm:") ? instanceArn : "*";
}

/** IAM hands documents out URL-encoded (moto sometimes not); undefined when not a policy. */
export function parsePolicyDocument(text: string | undefined): PolicyDocument | undefined {
  if (!text) return undefined;
  for (const candidate of [text, safeDecode(text)]) {
    try {
      const parsed = JSON.parse(candidate ?? "") as unknown;
      if (parsed && typeof parsed === "object" && "Statement" in parsed) return parsed as PolicyDocument;
    } catch {
      // try the next form
    }
  }
  return undefined;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc" (the partition follows the region). */
export function instanceArn(region: string, accountId: string, instanceId: string): string {
  const partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  return `arn:${partition}:ec2:${region}:${accountId}:instance/${instanceId}`;
}
