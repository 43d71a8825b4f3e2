import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type LocalProcess, startLocalProcess } from "../support/local-process.js";

// Local mode for an organization (issue 17): started with ALLOWED_ACCOUNT_IDS, it seeds a demo VPC
// in the member account, reaches it through the target role (moto acts in the role's account
// with the credentials STS issued), and its agent model sees that account's instances too. A
// session opened there lives, becomes connectable, expires and is swept there, and the hub's own
// session goes on.

const MEMBER = "222222222222";
let local: LocalProcess;
let member: { vpcId: string; instanceId: string };

beforeAll(async () => {
  local = await startLocalProcess([], { ALLOWED_ACCOUNT_IDS: `123456789012,${MEMBER}` });
  const match = new RegExp(`member account ${MEMBER}: demo VPC (vpc-[0-9a-f]+), instance (i-[0-9a-f]+)`).exec(local.output());
  member = { vpcId: match?.[1] ?? "", instanceId: match?.[2] ?? "" };
});

afterAll(async () => {
  await local?.stop();
});

/** Stacks of one account of the emulator (the member's read as its role, as local mode does). */
function stacksIn(account?: string) {
  const cloudFormation = new CloudFormationClient({
    region: "us-east-1",
    endpoint: local.emulator,
    credentials: account
      ? fromTemporaryCredentials({
          params: { RoleArn: `arn:aws:iam::${account}:role/e2e`, RoleSessionName: "e2e" },
          clientConfig: { region: "us-east-1", endpoint: local.emulator },
          masterCredentials: { accessKeyId: "e2e", secretAccessKey: "e2e" },
        })
      : { accessKeyId: "e2e", secretAccessKey: "e2e" },
  });
  return async () =>
    ((await cloudFormation.send(new DescribeStacksCommand({}))).Stacks ?? [])
      .filter((s) => s.StackStatus !== "DELETE_COMPLETE")
      .map((s) => s.StackName);
}

describe("local mode with a member account", () => {
  it("seeds a demo VPC there and prints how to open a session in it", () => {
    expect(member.vpcId).toMatch(/^vpc-/);
    expect(member.instanceId).toMatch(/^i-/);
    expect(local.output()).toContain(`"accountId":"${MEMBER}"`);
  });

  it("opens there, sees the instance connectable, expires there; the hub's session goes on", async () => {
    const memberStacks = stacksIn(MEMBER);
    const hubStacks = stacksIn();
    const hubOpened = await call(local.url, "POST", "/sessions", { instanceId: local.instanceIds[0], ttl: "3h" });
    const opened = await call(local.url, "POST", "/sessions", { instanceId: member.instanceId, accountId: MEMBER, ttl: "1h" });
    expect([hubOpened.status, opened.status]).toEqual([202, 202]);
    expect(opened.body.session).toMatchObject({ id: member.vpcId, accountId: MEMBER });
    expect(await memberStacks()).toEqual([`ssm-knock-${member.vpcId}`]);
    expect(await hubStacks()).toEqual([`ssm-knock-${local.vpcId}`]);

    // The agent model reaches the member's instance through its new endpoints, as the hub's.
    const early = await call(local.url, "POST", "/local/advance", { minutes: 10 });
    const watched = early.body.fired.filter((f: { schedule: string }) => f.schedule.startsWith(`ssm-knock-watch-a-${member.vpcId}`));
    expect(watched[0]).toMatchObject({ schedule: `ssm-knock-watch-a-${member.vpcId}-${MEMBER}`, result: "connectable" });
    const shown = await call(local.url, "GET", `/sessions/${member.vpcId}`);
    expect(shown.body.session).toMatchObject({ accountId: MEMBER, connectable: true });
    expect(shown.body.session.instances[0]).toMatchObject({ id: member.instanceId, pingStatus: "Online" });

    const later = await call(local.url, "POST", "/local/advance", { minutes: 55 });
    expect(later.body.fired).toContainEqual(
      expect.objectContaining({
        schedule: `ssm-knock-expire-${member.vpcId}-${MEMBER}`,
        result: expect.objectContaining({ outcome: "deleted" }),
      }),
    );
    expect(await memberStacks()).toEqual([]);
    expect(await hubStacks()).toEqual([`ssm-knock-${local.vpcId}`]);
    const listed = await call(local.url, "GET", "/sessions");
    expect(listed.body.sessions.map((s: { id: string; accountId: string }) => `${s.id} ${s.accountId}`)).toEqual([
      `${local.vpcId} 123456789012`,
    ]);
    expect((await call(local.url, "DELETE", `/sessions/${local.vpcId}`)).status).toBe(202);
  });
});
