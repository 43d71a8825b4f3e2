import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError, InvalidRequestError } from "../../../lib/core/errors.js";
import { ExtendRequestSchema, OpenRequestSchema, validateBody } from "../../../lib/core/requests.js";

// Property tests of the request bodies (after JSON.parse): whatever a client sends, validateBody
// either returns a request the domain can use or throws a 400 InvalidRequestError naming the
// field; it never crashes with anything else.

const hex = (length: number) => fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: length, maxLength: length });
const awsId = (prefix: string) => fc.oneof(hex(8), hex(17)).map((digits) => `${prefix}-${digits}`);
const FIELDS = ["instanceId", "vpcId", "ttl", "subnetIds", "sourceSecurityGroupIds", "reason", "region", "extras", "restartAgent"];

/** Values of every JSON shape, hostile keys included, under the API's own field names and others. */
const hostileBody = fc.dictionary(
  fc.oneof(fc.constantFrom(...FIELDS, "__proto__", "constructor", "toString", ""), fc.string()),
  fc.oneof(fc.jsonValue(), awsId("i"), awsId("vpc"), fc.array(awsId("subnet")), fc.constantFrom("2h", "90m", 0, -1, 1e308, "s3", "kms")),
  { maxKeys: 6 },
);

/** A body the API documents as valid. */
const validOpen = fc.record(
  {
    target: fc.oneof(
      awsId("i").map((instanceId) => ({ instanceId })),
      awsId("vpc").map((vpcId) => ({ vpcId })),
    ),
    ttl: fc.oneof(fc.constantFrom("2h", "90m", "1h30m", "1d"), fc.integer({ min: 1, max: 12 })),
    // Printable text only: control characters are refused (another property covers them).
    reason: fc.string({ unit: fc.constantFrom(..."abc XYZ 09 .,:;!?-_/()[]éü漢"), maxLength: 200 }),
    region: fc.constantFrom("us-east-1", "eu-west-1", "ap-northeast-1", "us-gov-west-1"),
    extras: fc.subarray(["s3", "kms", "logs"]),
    subnetIds: fc.uniqueArray(awsId("subnet"), { minLength: 1, maxLength: 6 }),
  },
  { requiredKeys: ["target"] },
);

function outcome(run: () => unknown): { ok: true; value: unknown } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, error };
  }
}

describe("validateBody, property-based", () => {
  it("answers any JSON value with a request or a 400 InvalidRequestError, never another error", () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), hostileBody), (body) => {
        for (const schema of [OpenRequestSchema, ExtendRequestSchema]) {
          const result = outcome(() => validateBody(schema as never, body));
          if (result.ok) continue;
          expect(result.error).toBeInstanceOf(InvalidRequestError);
          const error = result.error as AppError;
          expect(error.status).toBe(400);
          expect(error.message.length).toBeGreaterThan(5);
          // The field it names is one the client sent, or one of the API's (a required one left out).
          if (error.field) {
            const named = error.message.startsWith("Unknown field") ? error.field : error.field.split(".")[0];
            expect([...Object.keys(body as object), ...FIELDS]).toContain(named);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("names the unknown field itself, whatever its name", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((key) => !FIELDS.includes(key) && key !== "__proto__"),
        awsId("vpc"),
        (key, vpcId) => {
          const result = outcome(() => validateBody(OpenRequestSchema, { vpcId, [key]: true }));
          expect(result.ok).toBe(false);
          expect((result as { error: AppError }).error).toMatchObject({ status: 400, code: "invalid_request", field: key });
        },
      ),
    );
  });

  it("accepts every body the API documents as valid, unchanged, with exactly one target", () => {
    fc.assert(
      fc.property(validOpen, ({ target, ...rest }) => {
        const body = { ...target, ...rest };
        const request = validateBody(OpenRequestSchema, body);
        expect(request).toEqual(body);
        expect(Boolean(request.instanceId) !== Boolean(request.vpcId)).toBe(true);
      }),
    );
  });

  it("refuses a reason with any control character, wherever it sits, naming the reason", () => {
    const control = fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f }), fc.constantFrom(0x2028, 0x2029));
    fc.assert(
      fc.property(awsId("vpc"), fc.string({ maxLength: 80 }), control, fc.string({ maxLength: 80 }), (vpcId, before, code, after) => {
        const result = outcome(() => validateBody(OpenRequestSchema, { vpcId, reason: `${before}${String.fromCharCode(code)}${after}` }));
        expect((result as { error: AppError }).error).toMatchObject({ status: 400, field: "reason" });
      }),
    );
  });

  it("refuses any non-object body with a 400 that shows the shape to send", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue())), (body) => {
        const result = outcome(() => validateBody(OpenRequestSchema, body));
        expect((result as { error: AppError }).error).toBeInstanceOf(AppError);
        expect((result as { error: AppError }).error.message).toContain("must be a JSON object");
      }),
    );
  });
});
