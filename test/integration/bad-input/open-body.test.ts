import { type Case, HEX17, refusalSuite, vpc } from "../../support/bad-input.js";

// POST /sessions: bodies that are not what the API takes, and transport the API refuses.

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

refusalSuite("POST /sessions: malformed bodies, wrong types, unknown fields, sizes, media types and signatures", {
  "malformed JSON and non-object bodies": malformedJson,
  "wrong types": wrongTypes,
  "unknown fields": unknownFields,
  "sizes, media types and signatures": transport,
});
