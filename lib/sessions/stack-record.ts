import type { Parameter, Stack, Tag } from "@aws-sdk/client-cloudformation";
import { type EndpointService, EXTRA_SERVICES } from "../core/endpoint-services.js";
import type { EndpointPrice } from "../core/open-facts.js";
import type { AccessRequest, SessionSpec, StackPlace } from "../core/session.js";
import { TAG } from "../core/tags.js";
import { isoSeconds } from "../core/time.js";

/**
 * The stack is the session's only record (docs/decisions.md): this module writes a SessionSpec
 * into the endpoint template's parameters and tags, and reads it back. Pure.
 */

/** The template parameter that switches each Interface endpoint on. */
export const TEMPLATE_SWITCH: Record<Exclude<EndpointService, "s3">, string> = {
  ssm: "CreateSsm",
  ssmmessages: "CreateSsmMessages",
  ec2messages: "CreateEc2Messages",
  kms: "CreateKms",
  logs: "CreateLogs",
};

/** CloudFormation caps a parameter at 4096 bytes; the record keeps the first request and as many
 * of the latest as fit. */
const RECORD_LIMIT = 4000;

/** The session's bookkeeping: when it opened (on the service's clock, which local mode makes
 * virtual) and who asked. */
interface SessionRecord {
  createdAt: string;
  requests: AccessRequest[];
  /** The endpoint-hour price at the open: what the cost so far and the bill are computed with. */
  price?: EndpointPrice;
}

export function encodeRecord(createdAt: Date, requests: AccessRequest[], price?: EndpointPrice): string {
  const kept = [...requests];
  const encode = () => JSON.stringify({ createdAt: isoSeconds(createdAt), price, requests: kept } satisfies SessionRecord);
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
    const price = parsed.price;
    const valid =
      typeof price?.usd === "number" && Number.isFinite(price.usd) && price.usd >= 0 && ["price-list", "configured"].includes(price.source);
    return {
      createdAt: parsed.createdAt,
      requests: Array.isArray(parsed.requests) ? parsed.requests : [],
      price: valid ? { usd: price.usd, source: price.source } : undefined,
    };
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

const requestedBy = (spec: SessionSpec) => (spec.requests[0]?.by ?? "unknown").slice(0, 256);

export function stackParameters(spec: SessionSpec): Parameter[] {
  const parameters: Record<string, string> = {
    VpcId: spec.vpcId,
    SubnetIds: spec.subnetIds.join(","),
    SourceSecurityGroupIds: spec.sourceSecurityGroupIds.join(","),
    SourceCidrs: spec.sourceCidrs.join(","),
    S3RouteTableIds: spec.services.includes("s3") ? spec.s3RouteTableIds.join(",") : "",
    ExpiresAt: isoSeconds(spec.expiresAt),
    RequestedBy: requestedBy(spec),
    SessionRecord: encodeRecord(spec.createdAt, spec.requests, spec.price),
  };
  for (const [service, parameter] of Object.entries(TEMPLATE_SWITCH)) {
    parameters[parameter] = String(spec.services.includes(service as EndpointService));
  }
  return Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
}

export function stackTags(spec: SessionSpec): Tag[] {
  return [
    { Key: TAG.managed, Value: "true" },
    { Key: TAG.session, Value: spec.vpcId },
    { Key: TAG.expiresAt, Value: isoSeconds(spec.expiresAt) },
    { Key: TAG.requestedBy, Value: requestedBy(spec) },
  ];
}

const ORDER: EndpointService[] = ["ssm", "ssmmessages", "ec2messages", ...EXTRA_SERVICES];
const byServiceOrder = (a: EndpointService, b: EndpointService) => ORDER.indexOf(a) - ORDER.indexOf(b);

/** Rebuilds a session's spec from its stack, in the account and region it was read from. */
export function specFromStack(stack: Stack, place: StackPlace): SessionSpec {
  const { accountId, region } = place;
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
    accountId,
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
    ...(record.price ? { price: record.price } : {}),
  };
}
