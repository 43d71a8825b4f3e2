import { describe, expect, it } from "vitest";
import { everyPlace, resolveAccount, stackRoleFor } from "../../../lib/accounts/registry.js";
import { loadConfig } from "../../../lib/runtime/config.js";
import { thrownAppError } from "../../support/app-error.js";

const HUB = "123456789012";
const MEMBER = "222222222222";
const config = (env: Record<string, string> = {}) => loadConfig({ AWS_REGION: "us-east-1", ...env });

describe("Function: resolveAccount", () => {
  it("is the hub's own account when the request names none, or names the hub", () => {
    expect(resolveAccount(config(), undefined)).toBe(HUB);
    expect(resolveAccount(config({ ALLOWED_ACCOUNT_IDS: `${HUB},${MEMBER}` }), HUB)).toBe(HUB);
  });

  it("admits a member account in ALLOWED_ACCOUNT_IDS", () => {
    expect(resolveAccount(config({ ALLOWED_ACCOUNT_IDS: `${HUB},${MEMBER}` }), MEMBER)).toBe(MEMBER);
  });

  it("refuses (403) any other account, without echoing the allowed list, and the hub when the list leaves it out", () => {
    const other = thrownAppError(() => resolveAccount(config({ ALLOWED_ACCOUNT_IDS: `${HUB},${MEMBER}` }), "333333333333"));
    expect(other).toMatchObject({ code: "forbidden", field: "accountId" });
    expect(JSON.stringify(other)).not.toContain(MEMBER);
    expect(thrownAppError(() => resolveAccount(config(), MEMBER))).toMatchObject({ code: "forbidden" });
    expect(thrownAppError(() => resolveAccount(config({ ALLOWED_ACCOUNT_IDS: MEMBER }), undefined))).toMatchObject({ code: "forbidden" });
  });

  it("answers 400 for an id that is not 12 digits", () => {
    expect(thrownAppError(() => resolveAccount(config(), "12345"))).toMatchObject({ code: "invalid_request", field: "accountId" });
  });
});

describe("Function: stackRoleFor", () => {
  it("is the hub's endpoint stack role in the hub and the member's own role elsewhere", () => {
    const deployed = config({
      CFN_ROLE_ARN: `arn:aws:iam::${HUB}:role/ssm-knock-dev-EndpointStackRole-X`,
      STACK_PREFIX: "ssm-knock-dev",
      ALLOWED_ACCOUNT_IDS: `${HUB},${MEMBER}`,
    });
    expect(stackRoleFor(deployed, HUB)).toBe(`arn:aws:iam::${HUB}:role/ssm-knock-dev-EndpointStackRole-X`);
    expect(stackRoleFor(deployed, MEMBER)).toBe(`arn:aws:iam::${MEMBER}:role/ssm-knock-dev-target-endpoint-stacks`);
    expect(stackRoleFor(config({ TARGET_ROLE_NAME: "org-knock", CFN_ROLE_ARN: "arn:aws:iam::123456789012:role/x" }), MEMBER)).toBe(
      `arn:aws:iam::${MEMBER}:role/org-knock-endpoint-stacks`,
    );
  });

  it("is none anywhere where the hub has none (local mode, the suites)", () => {
    expect(stackRoleFor(config({ ALLOWED_ACCOUNT_IDS: `${HUB},${MEMBER}` }), MEMBER)).toBeUndefined();
  });
});

describe("Function: everyPlace", () => {
  it("is every allowed account in every allowed region, the hub's first", () => {
    const places = everyPlace(config({ ALLOWED_ACCOUNT_IDS: `${MEMBER},${HUB}`, ALLOWED_REGIONS: "us-east-1,eu-west-1" }));
    expect(places.map((p) => `${p.accountId}/${p.region}`)).toEqual([
      `${HUB}/us-east-1`,
      `${HUB}/eu-west-1`,
      `${MEMBER}/us-east-1`,
      `${MEMBER}/eu-west-1`,
    ]);
    expect(everyPlace(config({ ALLOWED_ACCOUNT_IDS: MEMBER })).map((p) => p.accountId)).toEqual([MEMBER]);
  });
});

describe("accounts configuration", () => {
  it("defaults to the hub alone, and the target role to <STACK_PREFIX>-target", () => {
    expect(config().accounts).toEqual({ hub: HUB, allowed: [HUB], targetRoleName: "ssm-knock-target" });
    expect(config({ STACK_PREFIX: "ssm-knock-prod", HUB_ACCOUNT_ID: "999999999999" }).accounts).toEqual({
      hub: "999999999999",
      allowed: ["999999999999"],
      targetRoleName: "ssm-knock-prod-target",
    });
  });

  it("reads the allowed accounts once each, and refuses a malformed one naming the variable", () => {
    expect(config({ ALLOWED_ACCOUNT_IDS: ` ${MEMBER}, ${HUB},${MEMBER} ` }).accounts.allowed).toEqual([MEMBER, HUB]);
    expect(() => config({ ALLOWED_ACCOUNT_IDS: "2222" })).toThrow(/ALLOWED_ACCOUNT_IDS: every item must be a 12-digit account id/);
    expect(() => config({ HUB_ACCOUNT_ID: "hub" })).toThrow(/HUB_ACCOUNT_ID/);
  });

  it("refuses a stack prefix too long for member accounts' timer names (Scheduler's 64 characters)", () => {
    const long = "ssm-knock-production12";
    expect(() => config({ STACK_PREFIX: long, ALLOWED_ACCOUNT_IDS: `${HUB},${MEMBER}` })).toThrow(/STACK_PREFIX .* too long/);
    expect(config({ STACK_PREFIX: long }).accounts.allowed).toEqual([HUB]);
    expect(config({ STACK_PREFIX: "ssm-knock-production", ALLOWED_ACCOUNT_IDS: MEMBER }).accounts.allowed).toEqual([MEMBER]);
  });
});
