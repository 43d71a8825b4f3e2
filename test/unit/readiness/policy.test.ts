import { runSimulation } from "@cloud-copilot/iam-simulate";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { agentActionResource, type Decision, type PolicyStatement, parsePolicyDocument } from "../../../lib/core/agent-permissions.js";
import { decide } from "../../../lib/readiness/policy.js";

// lib/readiness/policy.ts against @cloud-copilot/iam-simulate (a dev dependency: the oracle,
// not the runtime; see docs/decisions.md) on generated unconditioned identity policies.

const INSTANCE = "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0";
const ACTIONS = [
  "ssm:UpdateInstanceInformation",
  "ssmmessages:CreateControlChannel",
  "ssmmessages:OpenDataChannel",
  "ec2messages:GetMessages",
];
const ACTION_PATTERNS = [
  "*",
  "ssm:*",
  "ssm:Update*",
  "ssm:updateinstanceinformation",
  "ssmmessages:*",
  "ssmmessages:Open*",
  "ssmmessages:?reateControlChannel",
  "ec2messages:GetMessages",
  "s3:*",
  ...ACTIONS,
];
const RESOURCES = [
  "*",
  INSTANCE,
  "arn:aws:ec2:*:*:instance/*",
  "arn:aws:ec2:us-east-1:123456789012:instance/i-other",
  "arn:aws:s3:::bucket",
];

const oneOrMany = (values: string[]) =>
  fc.oneof(fc.constantFrom(...values), fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 }));
const statement: fc.Arbitrary<PolicyStatement> = fc
  .record({
    Effect: fc.constantFrom("Allow", "Deny"),
    action: fc.oneof(fc.record({ Action: oneOrMany(ACTION_PATTERNS) }), fc.record({ NotAction: oneOrMany(ACTION_PATTERNS) })),
    resource: fc.oneof(fc.record({ Resource: oneOrMany(RESOURCES) }), fc.record({ NotResource: oneOrMany(RESOURCES) })),
  })
  .map(({ Effect, action, resource }) => ({ Effect, ...action, ...resource }));

const ORACLE: Record<string, Decision> = { Allowed: "allowed", ExplicitlyDenied: "explicitDeny", ImplicitlyDenied: "implicitDeny" };

async function oracle(statements: PolicyStatement[], action: string): Promise<Decision | string> {
  const resource = agentActionResource(action, INSTANCE);
  const result = await runSimulation(
    {
      request: {
        action,
        principal: "arn:aws:iam::123456789012:role/agent",
        resource: { resource, accountId: "123456789012" },
        contextVariables: {},
      },
      identityPolicies: [{ name: "p", policy: { Version: "2012-10-17", Statement: statements } }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === "error") return `error: ${JSON.stringify(result.errors).slice(0, 300)}`;
  return ORACLE[result.overallResult] ?? result.overallResult;
}

describe("decide", () => {
  it("agrees with iam-simulate on generated policies (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(statement, { minLength: 1, maxLength: 4 }), fc.constantFrom(...ACTIONS), async (statements, action) => {
        const expected = await oracle(statements, action);
        expect(decide([{ name: "p", document: { Statement: statements } }], action, agentActionResource(action, INSTANCE))).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("calls a conditioned statement conditional, and an unconditioned deny still wins", () => {
    const conditioned: PolicyStatement = {
      Effect: "Allow",
      Action: "*",
      Resource: "*",
      Condition: { Bool: { "aws:SecureTransport": "true" } },
    };
    expect(decide([{ name: "c", document: { Statement: [conditioned] } }], "ssm:UpdateInstanceInformation", INSTANCE)).toBe("conditional");
    const deny: PolicyStatement = { Effect: "Deny", Action: "ssm:*", Resource: "*" };
    expect(decide([{ name: "c", document: { Statement: [conditioned, deny] } }], "ssm:UpdateInstanceInformation", INSTANCE)).toBe(
      "explicitDeny",
    );
  });

  it("reads documents as IAM hands them out: URL-encoded, or plain", () => {
    const doc = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ssm:*", Resource: "*" }] };
    expect(parsePolicyDocument(encodeURIComponent(JSON.stringify(doc)))).toEqual(doc);
    expect(parsePolicyDocument(JSON.stringify(doc))).toEqual(doc);
    expect(parsePolicyDocument("not a policy")).toBeUndefined();
  });
});
