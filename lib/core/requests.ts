import { EXTRA_SERVICES } from "./endpoint-services.js";
import { InvalidRequestError } from "./errors.js";
import { ACCOUNT_ID, INSTANCE_ID, REGION, SECURITY_GROUP_ID, SUBNET_ID, VPC_ID } from "./ids.js";
import * as z from "./zod.js";

// Control characters (and the Unicode line/paragraph separators) would forge lines in logs and
// chat messages.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const unique = <T>(items: T[]) => new Set(items).size === items.length;

const ttlField = () =>
  z.union([z.string().check(z.maxLength(32)), z.number()], {
    error: 'must be a duration such as "2h", "90m" or a number of hours',
  });

// The schemas are built on first use (z.lazy): constructing them costs milliseconds of a cold start.
export const OpenRequestSchema = z.lazy(() =>
  z
    .strictObject({
      instanceId: z.optional(z.string().check(z.regex(INSTANCE_ID, "must look like i-0123456789abcdef0"))),
      vpcId: z.optional(z.string().check(z.regex(VPC_ID, "must look like vpc-0123456789abcdef0"))),
      ttl: z.optional(ttlField()),
      subnetIds: z.optional(
        z
          .array(z.string().check(z.regex(SUBNET_ID, "must look like subnet-0123456789abcdef0")))
          .check(z.minLength(1), z.maxLength(6), z.refine(unique, "must not repeat a subnet")),
      ),
      sourceSecurityGroupIds: z.optional(
        z
          .array(z.string().check(z.regex(SECURITY_GROUP_ID, "must look like sg-0123456789abcdef0")))
          .check(z.minLength(1), z.maxLength(8), z.refine(unique, "must not repeat a group")),
      ),
      reason: z.optional(
        z.string().check(
          z.maxLength(200, "must be at most 200 characters"),
          z.refine((text) => !CONTROL.test(text), "must not contain control characters"),
        ),
      ),
      region: z.optional(z.string().check(z.regex(REGION, "must be an AWS region such as eu-west-1"))),
      accountId: z.optional(z.string().check(z.regex(ACCOUNT_ID, "must be a 12-digit AWS account id such as 222222222222"))),
      extras: z.optional(z.array(z.enum(EXTRA_SERVICES)).check(z.maxLength(3), z.refine(unique, "must not repeat an extra"))),
      restartAgent: z.optional(z.enum(["never", "if-offline"], { error: 'must be "never" or "if-offline"' })),
      // Endpoints even where the instance's subnet already reaches Systems Manager (a NAT or internet gateway).
      force: z.optional(z.boolean({ error: "must be true or false" })),
    })
    .check(
      z.refine((body) => Boolean(body.instanceId) !== Boolean(body.vpcId), {
        message: "give exactly one of instanceId or vpcId",
        path: ["instanceId"],
      }),
      z.refine((body) => body.restartAgent !== "if-offline" || Boolean(body.instanceId), {
        message: 'needs an instanceId: ssm-knock restarts the agent of the instance you name ("if-offline" with a vpcId names none)',
        path: ["restartAgent"],
      }),
    ),
);

export type OpenRequest = z.infer<typeof OpenRequestSchema>;

export const ExtendRequestSchema = z.lazy(() => z.strictObject({ ttl: ttlField() }));

/** Validates a parsed JSON body against a schema, turning the first problem into a 400 that names the field. */
export function validateBody<T>(schema: z.ZodMiniType<T>, body: unknown): T {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new InvalidRequestError('The body must be a JSON object, for example {"instanceId": "i-0123456789abcdef0", "ttl": "2h"}.');
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue.code === "unrecognized_keys") {
    const field = issue.keys[0];
    throw new InvalidRequestError(`Unknown field "${field}"; remove it (see the API reference in the README).`, field);
  }
  const field = issue.path.join(".") || undefined;
  throw new InvalidRequestError(field ? `${field} ${issue.message}` : issue.message, field);
}
