import { type Case, refusalSuite, vpc } from "../../support/bad-input.js";

// POST /sessions: well-formed bodies whose target, TTL, reason or region ssm-knock must refuse.

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

refusalSuite("POST /sessions: targets, TTLs, reasons and regions", {
  "targets: both, neither, wrong shapes, other VPCs, missing": targets,
  TTLs: ttls,
  reasons: reasons,
  regions: regions,
});
