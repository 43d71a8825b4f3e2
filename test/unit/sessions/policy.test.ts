import { describe, expect, it } from "vitest";
import { AppError } from "../../../lib/core/errors.js";
import { loadConfig } from "../../../lib/runtime/config.js";
import { assertRebootAllowed, assertRoomForSession, assertVpcAllowed, type Policy, rebootRefusal } from "../../../lib/sessions/policy.js";

const VPC = "vpc-0123456789abcdef0";
const OTHER = "vpc-00000000";
const policy = (env: Record<string, string> = {}): Policy => loadConfig(env).policy;
const tagged = (key: string, value: string) => ({ VpcId: VPC, Tags: [{ Key: key, Value: value }] });

/** The thrown AppError's status, code and message, or undefined when nothing was thrown. */
function refusal(run: () => void) {
  try {
    run();
    return undefined;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { status: error.status, code: error.code, field: error.field, message: error.message };
  }
}

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
