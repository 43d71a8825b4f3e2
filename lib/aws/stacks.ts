import {
  type CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  type Parameter,
  type Stack,
  type Tag,
  UpdateStackCommand,
} from "@aws-sdk/client-cloudformation";
import { type EndpointService, EXTRA_SERVICES, TEMPLATE_SWITCH } from "../core/endpoint-services.js";
import type { AccessRequest, SessionSpec } from "../core/session.js";
import { isoSeconds } from "../core/time.js";
import { endpointTemplateBody } from "../template.js";
import { isAwsError } from "./errors.js";

export const TAG = {
  managed: "ssm-knock:managed",
  session: "ssm-knock:session",
  expiresAt: "ssm-knock:expires-at",
  requestedBy: "ssm-knock:requested-by",
} as const;

/** One stack per VPC, so a second request for the same VPC finds the first one's stack. */
export const stackNameFor = (prefix: string, vpcId: string) => `${prefix}-${vpcId}`;

/** CloudFormation caps a parameter at 4096 bytes; the record keeps the first request and as many
 * of the latest as fit. */
const RECORD_LIMIT = 4000;

/** The session's bookkeeping: when it opened (on the service's clock, which local mode makes
 * virtual) and who asked. */
interface SessionRecord {
  createdAt: string;
  requests: AccessRequest[];
}

export function encodeRecord(createdAt: Date, requests: AccessRequest[]): string {
  const kept = [...requests];
  const encode = () => JSON.stringify({ createdAt: isoSeconds(createdAt), requests: kept } satisfies SessionRecord);
  let text = encode();
  while (Buffer.byteLength(text) > RECORD_LIMIT && kept.length > 1) {
    kept.splice(1, 1);
    text = encode();
  }
  return text;
}

function decodeRecord(text: string | undefined): Partial<SessionRecord> {
  try {
    const parsed = JSON.parse(text ?? "") as Partial<SessionRecord>;
    return { createdAt: parsed.createdAt, requests: Array.isArray(parsed.requests) ? parsed.requests : [] };
  } catch {
    return { requests: [] };
  }
}

/** Reads a list parameter back. CloudFormation returns "a,b"; moto returns "['a', 'b']". */
function parseList(value: string | undefined): string[] {
  return (value ?? "")
    .replace(/^\[|\]$/g, "")
    .split(",")
    .map((item) => item.trim().replace(/^'|'$/g, ""))
    .filter(Boolean);
}

export function stackParameters(spec: SessionSpec): Parameter[] {
  const wants = (service: EndpointService) => String(spec.services.includes(service));
  const parameters: Record<string, string> = {
    VpcId: spec.vpcId,
    SubnetIds: spec.subnetIds.join(","),
    SourceSecurityGroupIds: spec.sourceSecurityGroupIds.join(","),
    SourceCidrs: spec.sourceCidrs.join(","),
    S3RouteTableIds: spec.services.includes("s3") ? spec.s3RouteTableIds.join(",") : "",
    ExpiresAt: isoSeconds(spec.expiresAt),
    RequestedBy: (spec.requests[0]?.by ?? "unknown").slice(0, 256),
    SessionRecord: encodeRecord(spec.createdAt, spec.requests),
  };
  for (const [service, parameter] of Object.entries(TEMPLATE_SWITCH)) {
    parameters[parameter] = wants(service as EndpointService);
  }
  return Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
}

export function stackTags(spec: SessionSpec): Tag[] {
  return [
    { Key: TAG.managed, Value: "true" },
    { Key: TAG.session, Value: spec.vpcId },
    { Key: TAG.expiresAt, Value: isoSeconds(spec.expiresAt) },
    { Key: TAG.requestedBy, Value: (spec.requests[0]?.by ?? "unknown").slice(0, 256) },
  ];
}

export const isManagedStack = (stack: Stack) => stack.Tags?.some((tag) => tag.Key === TAG.managed && tag.Value === "true") ?? false;

/** Rebuilds a session's spec from its stack: the stack is the session's only record. */
export function specFromStack(stack: Stack, region: string): SessionSpec {
  const parameter = (key: string) => stack.Parameters?.find((p) => p.ParameterKey === key)?.ParameterValue;
  const tag = (key: string) => stack.Tags?.find((t) => t.Key === key)?.Value;
  const services: EndpointService[] = [];
  for (const [service, key] of Object.entries(TEMPLATE_SWITCH)) {
    if (parameter(key) === "true") services.push(service as EndpointService);
  }
  const s3RouteTableIds = parseList(parameter("S3RouteTableIds"));
  if (s3RouteTableIds.length) services.push("s3");
  const expiry = parameter("ExpiresAt") ?? tag(TAG.expiresAt);
  const record = decodeRecord(parameter("SessionRecord"));
  return {
    vpcId: parameter("VpcId") ?? tag(TAG.session) ?? "",
    region,
    subnetIds: parseList(parameter("SubnetIds")),
    sourceSecurityGroupIds: parseList(parameter("SourceSecurityGroupIds")),
    sourceCidrs: parseList(parameter("SourceCidrs")),
    services: services.sort(byServiceOrder),
    s3RouteTableIds,
    // A stack with no readable expiry counts as expired: the sweeper must never keep it.
    expiresAt: expiry ? new Date(expiry) : new Date(0),
    createdAt: record.createdAt ? new Date(record.createdAt) : (stack.CreationTime ?? new Date(0)),
    requests: record.requests ?? [],
  };
}

const ORDER: EndpointService[] = ["ssm", "ssmmessages", "ec2messages", ...EXTRA_SERVICES];
const byServiceOrder = (a: EndpointService, b: EndpointService) => ORDER.indexOf(a) - ORDER.indexOf(b);

const isNotFound = (error: unknown) => isAwsError(error, "ValidationError") && /does not exist/i.test((error as Error).message);

/** The stack of that name, or undefined when there is none (DescribeStacks throws for that). */
export async function findStack(cloudFormation: CloudFormationClient, stackName: string): Promise<Stack | undefined> {
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = Stacks?.[0];
    return stack && stack.StackStatus !== "DELETE_COMPLETE" ? stack : undefined;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export interface StackOptions {
  stackName: string;
  roleArn?: string;
}

export async function createSessionStack(
  cloudFormation: CloudFormationClient,
  spec: SessionSpec,
  options: StackOptions,
): Promise<string | undefined> {
  const { StackId } = await cloudFormation.send(
    new CreateStackCommand({
      StackName: options.stackName,
      TemplateBody: endpointTemplateBody(),
      Parameters: stackParameters(spec),
      Tags: stackTags(spec),
      RoleARN: options.roleArn,
      // On failure CloudFormation rolls back (deleting whatever was made) and keeps the stack,
      // so GET shows `failed` with the reason; the sweeper deletes the empty stack later.
      OnFailure: "ROLLBACK",
    }),
  );
  return StackId;
}

/** Moves a live stack to a new spec. The template is re-sent so a redeploy of ssm-knock with a
 * changed template takes effect on the next extension or join. */
export async function updateSessionStack(cloudFormation: CloudFormationClient, spec: SessionSpec, options: StackOptions): Promise<void> {
  await cloudFormation.send(
    new UpdateStackCommand({
      StackName: options.stackName,
      TemplateBody: endpointTemplateBody(),
      Parameters: stackParameters(spec),
      Tags: stackTags(spec),
      RoleARN: options.roleArn,
    }),
  );
}

export async function deleteSessionStack(
  cloudFormation: CloudFormationClient,
  options: StackOptions & { retainResources?: string[] },
): Promise<void> {
  await cloudFormation.send(
    new DeleteStackCommand({
      StackName: options.stackName,
      RoleARN: options.roleArn,
      RetainResources: options.retainResources?.length ? options.retainResources : undefined,
    }),
  );
}
