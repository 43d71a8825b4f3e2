import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../lib/runtime/config.js";
import {
  assertRebootAllowed,
  assertRoomForSession,
  assertRoomInAccount,
  assertVpcAllowed,
  assertWithinLifetime,
  enforceOpenPolicy,
  type OpenTarget,
  type Policy,
  rebootRefusal,
} from "../../../lib/sessions/policy.js";
import { thrownAppError } from "../../support/app-error.js";

const VPC = "vpc-0123456789abcdef0";
const OTHER = "vpc-00000000";
const policy = (env: Record<string, string> = {}): Policy => loadConfig(env).policy;
const tagged = (key: string, value: string) => ({ VpcId: VPC, Tags: [{ Key: key, Value: value }] });

const refusal = thrownAppError;

describe("policy configuration", () => {
  it("allows every VPC and at most 20 sessions (with no limit per account), and no reboot, by default", () => {
    expect(policy()).toEqual({
      allowedVpcIds: [],
      allowedVpcTag: undefined,
      maxSessions: 20,
      maxSessionsPerAccount: 0,
      reboot: { allowed: false, tag: undefined },
    });
  });

  it("reads VPC ids, a tag rule with or without a value, and a session limit", () => {
    expect(policy({ ALLOWED_VPC_IDS: ` ${VPC}, ${OTHER} `, ALLOWED_VPC_TAG: "team=payments", MAX_SESSIONS: "3" })).toMatchObject({
      allowedVpcIds: [VPC, OTHER],
      allowedVpcTag: { key: "team", value: "payments" },
      maxSessions: 3,
    });
    expect(policy({ ALLOWED_VPC_TAG: "ssm-knock:allowed" }).allowedVpcTag).toEqual({ key: "ssm-knock:allowed" });
    expect(policy({ MAX_SESSIONS: "0" }).maxSessions).toBe(0);
  });

  it.each([
    [{ ALLOWED_VPC_IDS: "vpc-123" }, /ALLOWED_VPC_IDS/],
    [{ MAX_SESSIONS: "-1" }, /MAX_SESSIONS/],
    [{ MAX_SESSIONS: "2.5" }, /MAX_SESSIONS/],
    [{ MAX_SESSIONS: "many" }, /MAX_SESSIONS/],
  ])("refuses %j at start-up", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe("assertVpcAllowed", () => {
  it("allows any VPC when no rule is configured", () => {
    expect(refusal(() => assertVpcAllowed(policy(), VPC, undefined, "vpcId"))).toBeUndefined();
  });

  it("allows listed ids and refuses others with 403 naming the field, without echoing the list", () => {
    const p = policy({ ALLOWED_VPC_IDS: OTHER });
    expect(refusal(() => assertVpcAllowed(p, OTHER, undefined, "vpcId"))).toBeUndefined();
    const refused = refusal(() => assertVpcAllowed(p, VPC, { VpcId: VPC }, "instanceId"));
    expect(refused).toMatchObject({ status: 403, code: "forbidden", field: "instanceId" });
    expect(refused?.message).toContain(VPC);
    expect(refused?.message).not.toContain(OTHER);
  });

  it("allows a VPC carrying the tag (and value), and refuses a wrong value or a missing tag", () => {
    const keyOnly = policy({ ALLOWED_VPC_TAG: "ssm-knock:allowed" });
    const withValue = policy({ ALLOWED_VPC_TAG: "env=dev" });
    expect(refusal(() => assertVpcAllowed(keyOnly, VPC, tagged("ssm-knock:allowed", "anything"), "vpcId"))).toBeUndefined();
    expect(refusal(() => assertVpcAllowed(withValue, VPC, tagged("env", "dev"), "vpcId"))).toBeUndefined();
    expect(refusal(() => assertVpcAllowed(withValue, VPC, tagged("env", "prod"), "vpcId"))).toMatchObject({ status: 403 });
    expect(refusal(() => assertVpcAllowed(withValue, VPC, { VpcId: VPC }, "vpcId"))?.message).toContain("env=dev");
  });

  it("admits a VPC matching either the ids or the tag", () => {
    const p = policy({ ALLOWED_VPC_IDS: OTHER, ALLOWED_VPC_TAG: "env=dev" });
    expect(refusal(() => assertVpcAllowed(p, OTHER, { VpcId: OTHER }, "vpcId"))).toBeUndefined();
    expect(refusal(() => assertVpcAllowed(p, VPC, tagged("env", "dev"), "vpcId"))).toBeUndefined();
  });

  it("leaves a VPC that does not exist to the preflight's 404 under a tag rule", () => {
    expect(refusal(() => assertVpcAllowed(policy({ ALLOWED_VPC_TAG: "env=dev" }), VPC, undefined, "vpcId"))).toBeUndefined();
  });
});

describe("assertRoomForSession", () => {
  it("admits below the limit and refuses at it with 422 session_limit_reached", () => {
    const p = policy({ MAX_SESSIONS: "2" });
    expect(refusal(() => assertRoomForSession(p, 1))).toBeUndefined();
    expect(refusal(() => assertRoomForSession(p, 2))).toMatchObject({ status: 422, code: "session_limit_reached" });
  });

  it("has no limit at 0", () => {
    expect(refusal(() => assertRoomForSession(policy({ MAX_SESSIONS: "0" }), 10_000))).toBeUndefined();
  });
});

describe("rebootRefusal", () => {
  const reboot = (env: Record<string, string>) => loadConfig({ AWS_REGION: "us-east-1", ...env }).policy;
  it("refuses unless the deployment allows reboots, naming ALLOW_REBOOT", () => {
    expect(rebootRefusal(reboot({}), "i-0123456789abcdef0", {})).toMatch(/ALLOW_REBOOT is not true/);
    expect(rebootRefusal(reboot({ ALLOW_REBOOT: "true" }), "i-0123456789abcdef0", {})).toBeUndefined();
  });

  it("with REBOOT_TAG, allows only instances that carry the tag (and its value, when given)", () => {
    const byKey = reboot({ ALLOW_REBOOT: "true", REBOOT_TAG: "ssm-knock:rebootable" });
    expect(rebootRefusal(byKey, "i-0123456789abcdef0", {})).toMatch(/tagged ssm-knock:rebootable \(REBOOT_TAG\)/);
    expect(rebootRefusal(byKey, "i-0123456789abcdef0", { "ssm-knock:rebootable": "" })).toBeUndefined();
    const byValue = reboot({ ALLOW_REBOOT: "true", REBOOT_TAG: "env=dev" });
    expect(rebootRefusal(byValue, "i-0123456789abcdef0", { env: "prod" })).toMatch(/tagged env=dev/);
    expect(rebootRefusal(byValue, "i-0123456789abcdef0", { env: "dev" })).toBeUndefined();
  });

  it("is a 403 naming restartAgent when asserted", () => {
    expect(() => assertRebootAllowed(reboot({}), "i-0123456789abcdef0", {})).toThrow(
      expect.objectContaining({ status: 403, field: "restartAgent" }),
    );
  });
});

describe("refusal wording and details", () => {
  it("names the tag rule exactly, with and without a value, and nothing when only ids are listed", () => {
    const byKey = refusal(() => assertVpcAllowed(policy({ ALLOWED_VPC_TAG: "ssm-knock:allowed" }), VPC, { VpcId: VPC }, "vpcId"));
    expect(byKey?.message).toBe(
      `ssm-knock is not allowed to open access to ${VPC}; a VPC qualifies by id or by carrying the tag ssm-knock:allowed. Ask the service's operators.`,
    );
    const byValue = refusal(() => assertVpcAllowed(policy({ ALLOWED_VPC_TAG: "env=dev" }), VPC, { VpcId: VPC }, "vpcId"));
    expect(byValue?.message).toBe(
      `ssm-knock is not allowed to open access to ${VPC}; a VPC qualifies by id or by carrying the tag env=dev. Ask the service's operators.`,
    );
    const byId = refusal(() => assertVpcAllowed(policy({ ALLOWED_VPC_IDS: OTHER }), VPC, { VpcId: VPC }, "vpcId"));
    expect(byId?.message).toBe(`ssm-knock is not allowed to open access to ${VPC}. Ask the service's operators.`);
  });

  it("reads only the rule's tag key, not another tag carrying the value", () => {
    const vpc = { VpcId: VPC, Tags: [{ Key: "stage", Value: "dev" }] };
    expect(refusal(() => assertVpcAllowed(policy({ ALLOWED_VPC_TAG: "env=dev" }), VPC, vpc, "vpcId"))).toMatchObject({ status: 403 });
  });

  it("states the total limit and what is open, with both as details", () => {
    expect(refusal(() => assertRoomForSession(policy({ MAX_SESSIONS: "2" }), 3))).toEqual({
      status: 422,
      code: "session_limit_reached",
      field: undefined,
      message: "ssm-knock allows at most 2 open sessions and 3 are open; close one (DELETE /sessions/{id}) or wait for one to expire.",
      details: { limit: 2, open: 3 },
    });
  });
});

describe("assertRoomInAccount", () => {
  const perAccount = (limit: number): Policy => ({ ...policy(), maxSessionsPerAccount: limit });
  const ACCOUNT = "111122223333";

  it("admits below the per-account limit and refuses at and above it, naming the account", () => {
    expect(refusal(() => assertRoomInAccount(perAccount(2), ACCOUNT, 1))).toBeUndefined();
    const expected = (open: number) => ({
      status: 422,
      code: "session_limit_reached",
      field: "accountId",
      message: `ssm-knock allows at most 2 open sessions per account and ${open} are open in ${ACCOUNT}; close one there (DELETE /sessions/{id}) or wait for one to expire.`,
      details: { limit: 2, open, accountId: ACCOUNT },
    });
    expect(refusal(() => assertRoomInAccount(perAccount(2), ACCOUNT, 2))).toEqual(expected(2));
    expect(refusal(() => assertRoomInAccount(perAccount(2), ACCOUNT, 3))).toEqual(expected(3));
  });

  it("has no per-account limit at 0", () => {
    expect(refusal(() => assertRoomInAccount(perAccount(0), ACCOUNT, 0))).toBeUndefined();
    expect(refusal(() => assertRoomInAccount(perAccount(0), ACCOUNT, 500))).toBeUndefined();
  });
});

describe("enforceOpenPolicy", () => {
  const ACCOUNT = "111122223333";
  const strict: Policy = { ...policy({ ALLOWED_VPC_IDS: OTHER, MAX_SESSIONS: "1" }), maxSessionsPerAccount: 1 };
  const target = (over: Partial<OpenTarget> = {}): OpenTarget => ({
    vpcId: OTHER,
    accountId: ACCOUNT,
    vpc: undefined,
    joining: false,
    field: "vpcId",
    ...over,
  });

  it("refuses a VPC outside the rules even when joining, naming the request's field", () => {
    const refused = refusal(() =>
      enforceOpenPolicy(strict, target({ vpcId: VPC, joining: true, field: "instanceId" }), { total: 0, inAccount: 0 }),
    );
    expect(refused).toMatchObject({ status: 403, code: "forbidden", field: "instanceId" });
  });

  it("lets a join past both session limits, as it opens nothing new", () => {
    expect(refusal(() => enforceOpenPolicy(strict, target({ joining: true }), { total: 5, inAccount: 5 }))).toBeUndefined();
  });

  it("checks the total limit, then the per-account one, for a new session", () => {
    expect(refusal(() => enforceOpenPolicy(strict, target(), { total: 0, inAccount: 0 }))).toBeUndefined();
    expect(refusal(() => enforceOpenPolicy(strict, target(), { total: 1, inAccount: 0 }))).toMatchObject({
      code: "session_limit_reached",
      field: undefined,
    });
    expect(refusal(() => enforceOpenPolicy(strict, target(), { total: 0, inAccount: 1 }))).toMatchObject({
      code: "session_limit_reached",
      field: "accountId",
    });
  });
});

describe("assertWithinLifetime", () => {
  const created = new Date("2026-01-01T00:00:00.000Z");
  const HOUR = 3_600_000;

  it("allows an expiry up to and at the lifetime's end", () => {
    const now = new Date("2026-01-01T00:30:00.000Z");
    expect(refusal(() => assertWithinLifetime(created, new Date("2026-01-01T01:00:00.000Z"), HOUR, now))).toBeUndefined();
    expect(refusal(() => assertWithinLifetime(created, new Date("2026-01-01T00:59:00.000Z"), HOUR, now))).toBeUndefined();
  });

  it("refuses past it with the latest expiry and the ttl still allowed from now", () => {
    const now = new Date("2026-01-01T00:20:00.000Z");
    expect(refusal(() => assertWithinLifetime(created, new Date("2026-01-01T01:00:01.000Z"), HOUR, now))).toEqual({
      status: 422,
      code: "max_lifetime_exceeded",
      field: "ttl",
      message:
        "This session may live until 2026-01-01T01:00:00Z (1h after it opened); ask for a ttl of at most 40m, or open a new session after it closes.",
      details: undefined,
    });
  });
});
