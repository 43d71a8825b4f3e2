import type { AwsCredentialIdentity } from "@smithy/types";
import { describe, expect, it } from "vitest";
import type { AssumeRoleFactory, AssumeRoleInput } from "../../../lib/aws/assume-role.js";
import { memberCredentials, partitionOf, targetRoleArn } from "../../../lib/aws/assume-role.js";
import { type ClientOptions, clientsFrom } from "../../../lib/aws/clients.js";
import { AppError } from "../../../lib/core/errors.js";

const HUB = "123456789012";
const MEMBER = "222222222222";
const ROLE = targetRoleArn("us-east-1", MEMBER, "ssm-knock-dev-target");

/** A stand-in for STS: counts the roles assumed and issues credentials that expire when told. */
function sts(options: { expiresInMs?: number; failWith?: string } = {}) {
  const assumed: AssumeRoleInput[] = [];
  let now = 0;
  const factory: AssumeRoleFactory = (input) => async (): Promise<AwsCredentialIdentity> => {
    assumed.push(input);
    if (options.failWith) throw Object.assign(new Error(`${options.failWith}: refused`), { name: options.failWith });
    now += 1;
    return { accessKeyId: `ASIA${now}`, secretAccessKey: "s", expiration: new Date(Date.now() + (options.expiresInMs ?? 3_600_000)) };
  };
  return { factory, assumed };
}

const rejection = async (work: () => Promise<unknown>) => {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("resolved");
};

describe("Function: memberCredentials", () => {
  it("assumes the role once and shares the credentials until shortly before they expire", async () => {
    const { factory, assumed } = sts();
    const provider = memberCredentials(factory, MEMBER, ROLE, "us-east-1");
    const first = await provider();
    expect(await provider()).toBe(first);
    expect(assumed).toHaveLength(1);
    expect(assumed[0]).toMatchObject({ roleArn: ROLE, region: "us-east-1", sessionName: "ssm-knock" });

    const soon = sts({ expiresInMs: 60_000 });
    const refreshing = memberCredentials(soon.factory, MEMBER, ROLE, "us-east-1");
    await refreshing();
    await refreshing();
    expect(soon.assumed.length).toBeGreaterThanOrEqual(2);
  });

  it("turns STS's AccessDenied (the role missing, or its trust refusing) into a 422 that names the role and the fix", async () => {
    const error = await rejection(() => memberCredentials(sts({ failWith: "AccessDenied" }).factory, MEMBER, ROLE, "us-east-1")());
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(422);
    expect((error as AppError).toJSON()).toMatchObject({ code: "account_role_unavailable", field: "accountId", accountId: MEMBER });
    expect((error as Error).message).toContain(ROLE);
    expect((error as Error).message).toContain("template/target-account.yaml");
    expect((error as Error).cause).toMatchObject({ name: "AccessDenied" });
  });

  it("answers anything else from STS (throttling, an outage) as AWS's side, 502, and tries again on the next call", async () => {
    const failing = sts({ failWith: "Throttling" });
    const provider = memberCredentials(failing.factory, MEMBER, ROLE, "us-east-1");
    const error = await rejection(() => provider());
    expect((error as AppError).status).toBe(502);
    expect((error as AppError).code).toBe("account_unreachable");
    await rejection(() => provider());
    expect(failing.assumed).toHaveLength(2);
  });
});

describe("Function: clientsFrom, across accounts", () => {
  const access = { hubAccountId: HUB, stsRegion: "us-east-1", roleArnOf: (id: string) => targetRoleArn("us-east-1", id, "t") };

  it("builds the hub's clients with the function's own credentials and a member's with one shared provider, per account and region", async () => {
    const { factory, assumed } = sts();
    const built: { options: ClientOptions; accountId: string }[] = [];
    const fake = (options: ClientOptions, accountId: string) => {
      built.push({ options, accountId });
      return { options } as never;
    };
    const clients = clientsFrom({ ec2: fake, cloudFormation: fake, assumeRole: factory }, access);
    expect(clients("us-east-1").accountId).toBe(HUB);
    void clients("us-east-1").ec2;
    void clients("us-east-1", MEMBER).ec2;
    void clients("eu-west-1", MEMBER).cloudFormation;
    expect(clients("us-east-1", MEMBER)).toBe(clients("us-east-1", MEMBER));
    expect(built.map((b) => `${b.accountId} ${b.options.region} ${b.options.credentials ? "assumed" : "own"}`)).toEqual([
      `${HUB} us-east-1 own`,
      `${MEMBER} us-east-1 assumed`,
      `${MEMBER} eu-west-1 assumed`,
    ]);
    expect(built[1].options.credentials).toBe(built[2].options.credentials);
    await built[1].options.credentials?.();
    await built[2].options.credentials?.();
    expect(assumed.map((a) => a.roleArn)).toEqual([targetRoleArn("us-east-1", MEMBER, "t")]);
  });

  it("says what to wire when a function that never acts in member accounts is asked to", () => {
    const clients = clientsFrom({ ec2: () => ({}) as never }, access);
    expect(() => clients("us-east-1", MEMBER)).toThrow(/add assumeRole to its client factories/);
  });
});

describe("Function: partitionOf", () => {
  it("names the partition of a region's ARNs", () => {
    expect(partitionOf("eu-west-1")).toBe("aws");
    expect(partitionOf("cn-north-1")).toBe("aws-cn");
    expect(partitionOf("us-gov-west-1")).toBe("aws-us-gov");
  });
});
