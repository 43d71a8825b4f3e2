import type { Logger } from "@aws-lambda-powertools/logger";
import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { EC2Client } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { type DemoWorld, seedWorld } from "../../local/seed.js";
import { credentialsIn, HUB, lookIn, MEMBER } from "../support/accounts.js";
import { api } from "../support/api.js";
import { testDeps } from "../support/harness.js";
import { type StsFront, startStsFront } from "../support/sts-front.js";

// Accounts that cannot be reached (issue 17). moto lets anyone assume any role, so STS is fronted
// (test/support/sts-front.ts, through the SDK's own AWS_ENDPOINT_URL_STS) to refuse AssumeRole of
// a target role the way STS does when the role is missing or its trust refuses; an account whose
// role works but whose calls are refused (AccessDenied) or throttled is its CloudFormation client,
// mocked at the client boundary. Cases: an open there is 422 naming the fix and creates nothing;
// lists name the account they could not read; the sweeper sweeps the others, counts and logs each
// failing account, keeps its timers, and sweeps it on the next run once it answers.

const MISSING = "333333333333";
const DENYING = "444444444444";
const THROTTLED = "555555555555";
const ROLE = (account: string) => `arn:aws:iam::${account}:role/ssm-knock-target`;
const ORG = { ALLOWED_ACCOUNT_IDS: [HUB, MEMBER, MISSING, DENYING, THROTTLED].join(",") };
const HOUR = 3_600_000;
let front: StsFront;

beforeAll(async () => {
  front = await startStsFront(inject("motoEndpoint"));
  process.env.AWS_ENDPOINT_URL_STS = front.url;
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_STS;
  await front.stop();
});
beforeEach(() => {
  front.denied.clear();
  front.refused.length = 0;
});

const seedIn = (account: string, cidr: string) =>
  seedWorld(new EC2Client({ region: "us-east-1", credentials: account === HUB ? undefined : credentialsIn(account) }), {
    region: "us-east-1",
    cidr,
    instances: 1,
  });

/** A logger that keeps what was logged, to see that each failing account is named. */
function keptLogs() {
  const lines: { level: string; message: string; extra: Record<string, unknown> }[] = [];
  const at =
    (level: string) =>
    (message: string, extra: Record<string, unknown> = {}) =>
      lines.push({ level, message, extra });
  const logger = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") } as unknown as Logger;
  return { logger, lines };
}

/** An error as the SDK raises what CloudFormation answered (told apart by name, lib/aws/errors.ts). */
const refusal = (name: string, httpStatusCode: number) =>
  Object.assign(new Error(`${name} (mocked)`), { name, $fault: "client", $metadata: { httpStatusCode } });

describe("an account whose target role cannot be assumed", () => {
  let world: DemoWorld;
  beforeEach(async () => {
    world = await seedIn(HUB, "10.42.0.0/16");
  });

  it("answers 422 naming the role and the fix, and creates nothing anywhere", async () => {
    front.denied.add(ROLE(MISSING));
    const client = api(testDeps(ORG));
    for (const body of [
      { vpcId: "vpc-0123456789abcdef0", accountId: MISSING },
      { instanceId: "i-0123456789abcdef0", accountId: MISSING },
    ]) {
      const reply = await client.open(body);
      expect(reply).toMatchObject({
        status: 422,
        body: { error: { code: "account_role_unavailable", field: "accountId", accountId: MISSING } },
      });
      expect(reply.body.error.message).toContain(ROLE(MISSING));
      expect(reply.body.error.message).toContain("template/target-account.yaml");
    }
    expect(front.refused).toContain(ROLE(MISSING));
    expect(await lookIn(HUB).nothingCreated(world.vpcId)).toEqual({ stacks: [], schedules: [], endpoints: [] });
  });

  it("is named in GET /sessions, which lists the others; a session found elsewhere is shown, one found nowhere is its 422", async () => {
    front.denied.add(ROLE(MISSING));
    const client = api(testDeps(ORG));
    await client.open({ vpcId: world.vpcId });
    const listed = await client.list();
    expect(listed.status).toBe(200);
    expect(listed.body.sessions.map((s: { id: string }) => s.id)).toEqual([world.vpcId]);
    expect(listed.body.unavailable).toEqual([
      { accountId: MISSING, region: "us-east-1", code: "account_role_unavailable", message: expect.stringContaining(ROLE(MISSING)) },
    ]);
    expect((await client.get(world.vpcId)).status).toBe(200);
    expect(await client.get("vpc-0123456789abcdef0")).toMatchObject({ status: 422, body: { error: { code: "account_role_unavailable" } } });
  });
});

describe("the sweeper across accounts", () => {
  it("sweeps the others when accounts fail (role missing, AccessDenied, throttling), counts and logs each, and sweeps them next run", async () => {
    const opener = testDeps(ORG);
    const accounts = [HUB, MEMBER, MISSING, DENYING, THROTTLED];
    const worlds = await Promise.all(accounts.map((account, index) => seedIn(account, `10.${70 + index}.0.0/16`)));
    for (const [index, account] of accounts.entries()) {
      expect((await api(opener).open({ vpcId: worlds[index].vpcId, accountId: account, ttl: "1h" })).status, account).toBe(202);
    }
    opener.clock.advance(HOUR + 60_000);

    // Now one account's role is gone, another's refuses CloudFormation, a third is throttled. The
    // sweeper is a function of its own (its own credentials, assumed when it runs).
    const { logger, lines } = keptLogs();
    const deps = { ...testDeps(ORG, opener.clock), logger };
    const client = api(deps);
    front.denied.add(ROLE(MISSING));
    const denying = mockClient(deps.clients("us-east-1", DENYING).cloudFormation as CloudFormationClient).rejects(
      refusal("AccessDenied", 403),
    );
    const throttled = mockClient(deps.clients("us-east-1", THROTTLED).cloudFormation as CloudFormationClient).rejects(
      refusal("Throttling", 400),
    );
    expect(await client.sweep()).toMatchObject({ expiredDeleted: 2, accountsSwept: 2, accountsFailed: 3, errors: 0, schedulesRemoved: 0 });
    const failed = lines.filter((l) => l.level === "error" && l.message.startsWith("sweep: stacks not listed"));
    expect(failed.map((l) => `${l.extra.accountId} ${l.extra.code}`).sort()).toEqual([
      `${MISSING} account_role_unavailable`,
      `${DENYING} AccessDenied`,
      `${THROTTLED} Throttling`,
    ]);
    // The failing accounts' sessions are untouched, and so are their timers (no evidence they are orphans).
    for (const account of [MISSING, DENYING, THROTTLED]) {
      expect(
        (await lookIn(account).liveStacks()).map((s) => s.StackName),
        account,
      ).toHaveLength(1);
    }
    expect((await lookIn(HUB).scheduleNames()).sort()).toEqual(
      [MISSING, DENYING, THROTTLED].map((account, index) => `ssm-knock-expire-${worlds[index + 2].vpcId}-${account}`).sort(),
    );
    for (const account of [HUB, MEMBER]) expect(await lookIn(account).liveStacks(), account).toEqual([]);

    // The next run, with every account answering again, sweeps what was left.
    front.denied.clear();
    denying.restore();
    throttled.restore();
    expect(await client.sweep()).toMatchObject({ expiredDeleted: 3, accountsSwept: 5, accountsFailed: 0, errors: 0 });
    for (const account of accounts) expect(await lookIn(account).liveStacks(), account).toEqual([]);
    expect(await lookIn(HUB).scheduleNames()).toEqual([]);
  });
});
