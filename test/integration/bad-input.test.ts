import { DescribeVpcEndpointsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { beforeEach, describe, expect, it } from "vitest";
import { createHandler as closeHandler } from "../../functions/close.js";
import { createHandler as extendHandler } from "../../functions/extend.js";
import { createHandler as getHandler } from "../../functions/get.js";
import { createHandler as listHandler } from "../../functions/list.js";
import { createHandler as openHandler } from "../../functions/open.js";
import { attributed } from "../../local/aws-call-log.js";
import { type DemoWorld, seedWorld } from "../../local/seed.js";
import { apiEvent, lambdaContext } from "../support/events.js";
import { testDeps } from "../support/harness.js";
import { inspector } from "../support/inspect.js";

// A corpus of malformed and hostile requests. Each must get a 4xx JSON error that names the
// problem, and leave nothing behind in the emulator: no stack, no schedule, no endpoint.

const look = inspector();
const ec2 = new EC2Client({ region: "us-east-1" });
let world: DemoWorld;

beforeEach(async () => {
  world = await seedWorld(ec2, { region: "us-east-1", instances: 1 });
});

type Route = "open" | "extend" | "get" | "close" | "list";
const ROUTES = { open: openHandler, extend: extendHandler, get: getHandler, close: closeHandler, list: listHandler };
const METHOD: Record<Route, [string, (id: string) => string]> = {
  open: ["POST", () => "/sessions"],
  list: ["GET", () => "/sessions"],
  get: ["GET", (id) => `/sessions/${id}`],
  extend: ["POST", (id) => `/sessions/${id}/extend`],
  close: ["DELETE", (id) => `/sessions/${id}`],
};

interface Case {
  name: string;
  route?: Route;
  /** The JSON body, built from the seeded worlds (so valid ids can sit beside bad ones). */
  body?: (w: { world: DemoWorld; other: DemoWorld }) => unknown;
  /** A body sent byte for byte instead of JSON.stringify(body). */
  raw?: string;
  base64?: boolean;
  /** Seeds a second VPC whose resources the request borrows. */
  other?: boolean;
  headers?: Record<string, string>;
  id?: string;
  unsigned?: boolean;
  status: number;
  code: string;
  field?: string;
}

const vpc = (extra: Record<string, unknown>) => (w: { world: DemoWorld }) => ({ vpcId: w.world.vpcId, ...extra });
const HEX17 = "0123456789abcdef0";

const malformedJson: Case[] = [
  { name: "broken JSON", raw: "{nope", status: 400, code: "invalid_request" },
  { name: "truncated JSON", raw: '{"vpcId": "vpc-0123', status: 400, code: "invalid_request" },
  { name: "JSON with trailing garbage", raw: `{"vpcId":"vpc-${HEX17}"} x`, status: 400, code: "invalid_request" },
  { name: "single-quoted pseudo-JSON", raw: `{'vpcId': 'vpc-${HEX17}'}`, status: 400, code: "invalid_request" },
  { name: "a byte-order mark before the JSON", raw: `\uFEFF{"vpcId":"vpc-${HEX17}"}`, status: 400, code: "invalid_request" },
  { name: "bare NaN", raw: "NaN", status: 400, code: "invalid_request" },
  { name: "JSON null", raw: "null", status: 400, code: "invalid_request" },
  { name: "a JSON array", raw: `[{"vpcId":"vpc-${HEX17}"}]`, status: 400, code: "invalid_request" },
  { name: "a JSON string", raw: `"vpc-${HEX17}"`, status: 400, code: "invalid_request" },
  { name: "a JSON number", raw: "42", status: 400, code: "invalid_request" },
  { name: "JSON true", raw: "true", status: 400, code: "invalid_request" },
  { name: "no body at all", status: 400, code: "invalid_request", field: "instanceId" },
];

const wrongTypes: Case[] = [
  { name: "vpcId as a number", body: () => ({ vpcId: 123 }), status: 400, code: "invalid_request", field: "vpcId" },
  { name: "vpcId null", body: () => ({ vpcId: null }), status: 400, code: "invalid_request", field: "vpcId" },
  { name: "vpcId as an array", body: (w) => ({ vpcId: [w.world.vpcId] }), status: 400, code: "invalid_request", field: "vpcId" },
  { name: "vpcId as an object", body: () => ({ vpcId: {} }), status: 400, code: "invalid_request", field: "vpcId" },
  { name: "instanceId true", body: () => ({ instanceId: true }), status: 400, code: "invalid_request", field: "instanceId" },
  { name: "reason as a number", body: vpc({ reason: 42 }), status: 400, code: "invalid_request", field: "reason" },
  {
    name: "subnetIds as a string",
    body: (w) => vpc({ subnetIds: w.world.subnetIds[0] })(w),
    status: 400,
    code: "invalid_request",
    field: "subnetIds",
  },
  { name: "subnetIds empty", body: vpc({ subnetIds: [] }), status: 400, code: "invalid_request", field: "subnetIds" },
  {
    name: "seven subnetIds",
    body: vpc({ subnetIds: Array.from({ length: 7 }, (_, i) => `subnet-0000000${i}`) }),
    status: 400,
    code: "invalid_request",
    field: "subnetIds",
  },
  {
    name: "a repeated subnet",
    body: (w) => vpc({ subnetIds: [w.world.subnetIds[0], w.world.subnetIds[0]] })(w),
    status: 400,
    code: "invalid_request",
    field: "subnetIds",
  },
  {
    name: "nine source groups",
    body: vpc({ sourceSecurityGroupIds: Array.from({ length: 9 }, (_, i) => `sg-0000000${i}`) }),
    status: 400,
    code: "invalid_request",
    field: "sourceSecurityGroupIds",
  },
  {
    name: "a source group as a number",
    body: vpc({ sourceSecurityGroupIds: [123] }),
    status: 400,
    code: "invalid_request",
    field: "sourceSecurityGroupIds.0",
  },
  { name: "an unknown extra", body: vpc({ extras: ["ec2"] }), status: 400, code: "invalid_request", field: "extras.0" },
  { name: "extras as a string", body: vpc({ extras: "s3" }), status: 400, code: "invalid_request", field: "extras" },
  { name: "a repeated extra", body: vpc({ extras: ["kms", "kms"] }), status: 400, code: "invalid_request", field: "extras" },
];

const unknownFields: Case[] = [
  { name: "an unknown field", body: vpc({ color: "blue" }), status: 400, code: "invalid_request", field: "color" },
  { name: "a field in the wrong case", body: (w) => ({ VpcId: w.world.vpcId }), status: 400, code: "invalid_request", field: "VpcId" },
  { name: "choosing the stack name", body: vpc({ stackName: "prod-database" }), status: 400, code: "invalid_request", field: "stackName" },
  {
    name: "claiming another requester",
    body: vpc({ requestedBy: "arn:aws:iam::123456789012:root" }),
    status: 400,
    code: "invalid_request",
    field: "requestedBy",
  },
  {
    name: "choosing the CloudFormation role",
    body: vpc({ roleArn: "arn:aws:iam::123456789012:role/admin" }),
    status: 400,
    code: "invalid_request",
    field: "roleArn",
  },
  { name: "a constructor key", body: vpc({ constructor: { prototype: {} } }), status: 400, code: "invalid_request", field: "constructor" },
  {
    name: "a __proto__ key",
    raw: `{"vpcId":"vpc-${HEX17}","__proto__":{"admin":true}}`,
    status: 400,
    code: "invalid_request",
    field: "__proto__",
  },
];

const targets: Case[] = [
  {
    name: "both instanceId and vpcId",
    body: (w) => ({ instanceId: w.world.instanceIds[0], vpcId: w.world.vpcId }),
    status: 400,
    code: "invalid_request",
    field: "instanceId",
  },
  {
    name: "neither instanceId nor vpcId",
    body: () => ({ ttl: "1h", reason: "x" }),
    status: 400,
    code: "invalid_request",
    field: "instanceId",
  },
  { name: "an empty vpcId", body: () => ({ vpcId: "" }), status: 400, code: "invalid_request", field: "vpcId" },
  { name: "a short instance id", body: () => ({ instanceId: "i-123" }), status: 400, code: "invalid_request", field: "instanceId" },
  {
    name: "an upper-case instance id",
    body: () => ({ instanceId: "i-0123456789ABCDEF0" }),
    status: 400,
    code: "invalid_request",
    field: "instanceId",
  },
  { name: "a 16-digit VPC id", body: () => ({ vpcId: "vpc-0123456789abcdef" }), status: 400, code: "invalid_request", field: "vpcId" },
  {
    name: "a VPC id with a leading space",
    body: (w) => ({ vpcId: ` ${w.world.vpcId}` }),
    status: 400,
    code: "invalid_request",
    field: "vpcId",
  },
  {
    name: "a VPC id with a trailing newline",
    body: (w) => ({ vpcId: `${w.world.vpcId}\n` }),
    status: 400,
    code: "invalid_request",
    field: "vpcId",
  },
  {
    name: "shell metacharacters in a VPC id",
    body: () => ({ vpcId: "vpc-00000000;rm -rf /" }),
    status: 400,
    code: "invalid_request",
    field: "vpcId",
  },
  {
    name: "a VPC ARN instead of an id",
    body: (w) => ({ vpcId: `arn:aws:ec2:us-east-1:123456789012:vpc/${w.world.vpcId}` }),
    status: 400,
    code: "invalid_request",
    field: "vpcId",
  },
  {
    name: "a security group id as a subnet",
    body: (w) => vpc({ subnetIds: [w.world.securityGroupId] })(w),
    status: 400,
    code: "invalid_request",
    field: "subnetIds.0",
  },
  {
    name: "a subnet id as a source group",
    body: (w) => vpc({ sourceSecurityGroupIds: [w.world.subnetIds[0]] })(w),
    status: 400,
    code: "invalid_request",
    field: "sourceSecurityGroupIds.0",
  },
  {
    name: "a subnet of another VPC",
    other: true,
    body: (w) => vpc({ subnetIds: [w.other.subnetIds[0]] })(w),
    status: 422,
    code: "subnet_not_in_vpc",
    field: "subnetIds",
  },
  {
    name: "a security group of another VPC",
    other: true,
    body: (w) => vpc({ sourceSecurityGroupIds: [w.other.securityGroupId] })(w),
    status: 422,
    code: "security_group_not_in_vpc",
    field: "sourceSecurityGroupIds",
  },
  {
    name: "a subnet that does not exist",
    body: vpc({ subnetIds: ["subnet-0000000000000dead"] }),
    status: 422,
    code: "subnet_not_in_vpc",
    field: "subnetIds",
  },
  {
    name: "a security group that does not exist",
    body: vpc({ sourceSecurityGroupIds: ["sg-0000000000000dead"] }),
    status: 422,
    code: "security_group_not_in_vpc",
    field: "sourceSecurityGroupIds",
  },
  {
    name: "an instance that does not exist",
    body: () => ({ instanceId: "i-0000000000000dead" }),
    status: 404,
    code: "not_found",
    field: "instanceId",
  },
  { name: "a VPC that does not exist", body: () => ({ vpcId: "vpc-0000000000000dead" }), status: 404, code: "not_found", field: "vpcId" },
];

const ttls: Case[] = [
  ...(
    [
      ["zero", 0],
      ["negative", -1],
      ["a negative duration", "-1h"],
      ["a fraction of a minute", 0.001],
      ["fractional hours as text", "1.5h"],
      ["seconds", "30s"],
      ["an overflowing number", 1e308],
      ["not a duration", "two hours"],
      ["empty", ""],
      ["null", null],
      ["a boolean", true],
      ["an object", {}],
      ["an array", [2]],
      ["too long a string", "1h".repeat(20)],
      ["NaN as text", "NaN"],
      ["Infinity as text", "Infinity"],
      ["hex", "0x10"],
      ["exponent notation", "1e3"],
    ] as const
  ).map(([what, ttl]): Case => ({ name: `a TTL that is ${what}`, body: vpc({ ttl }), status: 400, code: "invalid_request", field: "ttl" })),
  ...(
    [
      ["huge", "99999999999999999999h"],
      ["a thousand days", "1000d"],
      ["above the maximum", 13],
      ["below the minimum", "5m"],
    ] as const
  ).map(
    ([what, ttl]): Case => ({ name: `a TTL that is ${what}`, body: vpc({ ttl }), status: 422, code: "ttl_out_of_bounds", field: "ttl" }),
  ),
];

const reasons: Case[] = [
  ["201 characters", "x".repeat(201)],
  ["a newline (forged log lines)", "debug\nlevel=ERROR msg=forged"],
  ["a NUL", "a\u0000b"],
  ["an ANSI escape", "\u001b[31mred"],
  ["a DEL", "a\u007fb"],
  ["a C1 control", "a\u0085b"],
  ["a Unicode line separator", "a\u2028b"],
  ["201 emoji", "🔥".repeat(201)],
].map(
  ([what, reason]): Case => ({
    name: `a reason with ${what}`,
    body: vpc({ reason }),
    status: 400,
    code: "invalid_request",
    field: "reason",
  }),
);

const regions: Case[] = [
  { name: "a region that is not enabled", body: vpc({ region: "eu-west-1" }), status: 403, code: "forbidden", field: "region" },
  { name: "a well-formed region that does not exist", body: vpc({ region: "xx-fake-1" }), status: 403, code: "forbidden", field: "region" },
  { name: "a region in upper case", body: vpc({ region: "US-EAST-1" }), status: 400, code: "invalid_request", field: "region" },
  { name: "a region that is not a region", body: vpc({ region: "mars-north-1" }), status: 400, code: "invalid_request", field: "region" },
  { name: "an empty region", body: vpc({ region: "" }), status: 400, code: "invalid_request", field: "region" },
  { name: "a region as a number", body: vpc({ region: 1 }), status: 400, code: "invalid_request", field: "region" },
];

const bigBody = JSON.stringify({ vpcId: `vpc-${HEX17}`, reason: "x".repeat(17_000) });
const transport: Case[] = [
  { name: "a body over 16 KiB", raw: bigBody, status: 413, code: "payload_too_large" },
  { name: "a base64 body over 16 KiB", raw: Buffer.from(bigBody).toString("base64"), base64: true, status: 413, code: "payload_too_large" },
  {
    name: "text/plain",
    raw: `{"vpcId":"vpc-${HEX17}"}`,
    headers: { "content-type": "text/plain" },
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "no content type",
    raw: `{"vpcId":"vpc-${HEX17}"}`,
    headers: { "content-type": "" },
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "a form",
    raw: `vpcId=vpc-${HEX17}`,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "multipart",
    raw: "--b\r\n\r\n--b--",
    headers: { "content-type": "multipart/form-data; boundary=b" },
    status: 415,
    code: "unsupported_media_type",
  },
  { name: "XML", raw: "<vpcId/>", headers: { "content-type": "application/xml" }, status: 415, code: "unsupported_media_type" },
  {
    name: "application/jsonp",
    raw: `{"vpcId":"vpc-${HEX17}"}`,
    headers: { "content-type": "application/jsonp" },
    status: 415,
    code: "unsupported_media_type",
  },
  { name: "an unsigned open", body: vpc({}), unsigned: true, status: 401, code: "unauthorized" },
  { name: "an unsigned list", route: "list", unsigned: true, status: 401, code: "unauthorized" },
];

const paths: Case[] = [
  { name: "GET of a session that does not exist", route: "get", id: "vpc-0000000000000dead", status: 404, code: "not_found", field: "id" },
  { name: "GET of a path traversal", route: "get", id: "../../etc/passwd", status: 404, code: "not_found", field: "id" },
  { name: "GET of an empty id", route: "get", id: "", status: 404, code: "not_found", field: "id" },
  { name: "GET of a 2000-character id", route: "get", id: "vpc-".padEnd(2000, "f"), status: 404, code: "not_found", field: "id" },
  {
    name: "DELETE of a session that does not exist",
    route: "close",
    id: "vpc-0000000000000dead",
    status: 404,
    code: "not_found",
    field: "id",
  },
  { name: "DELETE by instance id", route: "close", id: `i-${HEX17}`, status: 404, code: "not_found", field: "id" },
  { name: "DELETE of a stack-name-shaped id", route: "close", id: `ssm-knock-vpc-${HEX17}`, status: 404, code: "not_found", field: "id" },
  {
    name: "extend of a session that does not exist",
    route: "extend",
    id: "vpc-0000000000000dead",
    body: () => ({ ttl: "1h" }),
    status: 404,
    code: "not_found",
    field: "id",
  },
  {
    name: "extend with a malformed TTL",
    route: "extend",
    id: "vpc-0000000000000dead",
    body: () => ({ ttl: "forever" }),
    status: 400,
    code: "invalid_request",
    field: "ttl",
  },
  {
    name: "extend with no TTL",
    route: "extend",
    id: "vpc-0000000000000dead",
    body: () => ({}),
    status: 400,
    code: "invalid_request",
    field: "ttl",
  },
  {
    name: "extend with an unknown field",
    route: "extend",
    id: "vpc-0000000000000dead",
    body: () => ({ ttl: "1h", expiresAt: "2099-01-01T00:00:00Z" }),
    status: 400,
    code: "invalid_request",
    field: "expiresAt",
  },
  {
    name: "extend with a zero TTL",
    route: "extend",
    id: "vpc-0000000000000dead",
    body: () => ({ ttl: 0 }),
    status: 400,
    code: "invalid_request",
    field: "ttl",
  },
];

const CATEGORIES = {
  "malformed JSON and non-object bodies": malformedJson,
  "wrong types": wrongTypes,
  "unknown fields": unknownFields,
  "targets: both, neither, wrong shapes, other VPCs, missing": targets,
  TTLs: ttls,
  reasons: reasons,
  regions: regions,
  "sizes, media types and signatures": transport,
  "path ids": paths,
};
const CORPUS = Object.values(CATEGORIES).flat();

async function send(c: Case) {
  const route = c.route ?? "open";
  const [method, path] = METHOD[route];
  const id = c.id ?? "";
  const other = c.other ? await seedWorld(ec2, { region: "us-east-1", cidr: "10.62.0.0/16", instances: 0 }) : world;
  const body = c.body?.({ world, other });
  const event = apiEvent(method, path(id), body, {
    rawBody: c.raw,
    headers: c.headers,
    caller: c.unsigned ? null : undefined,
    pathParameters: c.id === undefined ? undefined : { id },
  });
  event.isBase64Encoded = c.base64 ?? false;
  return attributed(
    route,
    ROUTES[route](() => testDeps()),
  )(event, lambdaContext);
}

/** Sends one request and checks the reply and the emulator, each check labelled with the case. */
async function refuses(c: Case) {
  const response = await send(c);
  expect(response.statusCode, c.name).toBe(c.status);
  expect(response.headers?.["content-type"], c.name).toBe("application/json");
  const { error } = JSON.parse(response.body ?? "{}");
  expect(error?.code, c.name).toBe(c.code);
  expect(error.message.length, c.name).toBeGreaterThan(10);
  if (c.field) expect(error.field, c.name).toBe(c.field);
  // The reply never echoes a body of any size back.
  expect((response.body ?? "").length, c.name).toBeLessThan(1_000);
  expect(await look.nothingCreated(world.vpcId), c.name).toEqual({ stacks: [], schedules: [], endpoints: [] });
  // and no endpoint in any VPC, a borrowed one included
  const { VpcEndpoints } = await look.ec2.send(new DescribeVpcEndpointsCommand({}));
  expect(VpcEndpoints ?? [], c.name).toEqual([]);
}

describe("hostile and malformed requests", () => {
  it("make a corpus of at least 60 distinct requests", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CORPUS.map((c) => c.name)).size).toBe(CORPUS.length);
  });

  // One emulator reset per category keeps the suite quick; every case is still checked on its
  // own, right after it is sent, so the first case that leaves anything behind is the one named.
  it.each(Object.entries(CATEGORIES))("%s: each gets a 4xx naming the problem and creates nothing", async (_category, cases) => {
    for (const c of cases) await refuses(c);
  });
});
