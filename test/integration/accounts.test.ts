import { DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { EC2Client } from "@aws-sdk/client-ec2";
import { DeleteScheduleCommand } from "@aws-sdk/client-scheduler";
import { beforeEach, describe, expect, it } from "vitest";
import type { SessionEvent } from "../../lib/core/session-events.js";
import { parseTimerInput } from "../../lib/core/timers.js";
import { onStackStatus, parseStackStatusEvent, type StackStatusChange } from "../../lib/sessions/stack-status.js";
import { runAs } from "../../local/aws-call-log.js";
import { type DemoWorld, seedWorld } from "../../local/seed.js";
import { credentialsIn, HUB, lookIn, MEMBER } from "../support/accounts.js";
import { api } from "../support/api.js";
import { testDeps } from "../support/harness.js";

// One ssm-knock for an organization (issue 17), against moto's multi-account support (what STS
// AssumeRole issues acts in the role's account): a session opened in a member account has its
// stack and endpoints there and none in the hub, its timers in the hub named for the account; it
// is found, extended, closed, expired and swept there; the hub's own sessions go on as before.
// Cases: the open and where things are; list and get across accounts; extend and close; expire;
// the sweeper in both accounts; an account not allowed (403) and a malformed one (400); the
// session limits per account and in total.

const hub = lookIn(HUB);
/** Made after each reset: moto forgets the credentials it issued (their keys would then act in its default account). */
let member: ReturnType<typeof lookIn>;
const ORG = { ALLOWED_ACCOUNT_IDS: `${HUB},${MEMBER}` };
const HOUR = 3_600_000;
let hubWorld: DemoWorld;
let memberWorld: DemoWorld;

beforeEach(async () => {
  member = lookIn(MEMBER);
  hubWorld = await seedWorld(new EC2Client({ region: "us-east-1" }), { region: "us-east-1", instances: 1 });
  memberWorld = await seedWorld(new EC2Client({ region: "us-east-1", credentials: credentialsIn(MEMBER) }), {
    region: "us-east-1",
    cidr: "10.50.0.0/16",
    instances: 1,
  });
});

const names = async (look: typeof hub) => (await look.liveStacks()).map((s) => `${s.StackName} ${s.StackStatus}`);
const expireInput = async (vpcId: string, account = MEMBER) =>
  parseTimerInput(JSON.parse((await hub.schedule(`ssm-knock-expire-${vpcId}${account === HUB ? "" : `-${account}`}`)).Target?.Input ?? ""));

describe("a session in a member account", () => {
  it("has its stack and endpoints in that account and none in the hub's; its timers are the hub's, named for the account", async () => {
    const client = api(testDeps(ORG));
    const opened = await client.open({ instanceId: memberWorld.instanceIds[0], accountId: MEMBER, ttl: "1h" });
    expect(opened.status).toBe(202);
    expect(opened.body.session).toMatchObject({ id: memberWorld.vpcId, accountId: MEMBER, region: "us-east-1" });

    expect(await names(member)).toEqual([`ssm-knock-${memberWorld.vpcId} CREATE_COMPLETE`]);
    expect(await names(hub)).toEqual([]);
    expect((await member.endpoints(memberWorld.vpcId)).length).toBe(3);
    expect(await member.scheduleNames()).toEqual([]);
    expect((await hub.scheduleNames()).sort()).toEqual([`ssm-knock-expire-${memberWorld.vpcId}-${MEMBER}`]);
    expect(await expireInput(memberWorld.vpcId)).toMatchObject({ action: "expire", sessionId: memberWorld.vpcId, accountId: MEMBER });
  });

  it("is listed beside the hub's own and found by its VPC id alone", async () => {
    const deps = testDeps(ORG);
    const client = api(deps);
    await client.open({ instanceId: hubWorld.instanceIds[0] });
    deps.clock.advance(60_000);
    await client.open({ vpcId: memberWorld.vpcId, accountId: MEMBER });

    const listed = await client.list();
    expect(listed.status).toBe(200);
    expect(listed.body.sessions.map((s: { id: string; accountId: string }) => `${s.id} ${s.accountId}`)).toEqual([
      `${memberWorld.vpcId} ${MEMBER}`,
      `${hubWorld.vpcId} ${HUB}`,
    ]);
    expect(listed.body.unavailable).toBeUndefined();
    const shown = await client.get(memberWorld.vpcId);
    expect(shown).toMatchObject({ status: 200, body: { session: { id: memberWorld.vpcId, accountId: MEMBER, status: "ready" } } });
    expect(shown.body.session.endpoints.map((e: { state: string }) => e.state)).toEqual(["available", "available", "available"]);
    expect((await client.get(hubWorld.vpcId)).body.session).toMatchObject({ accountId: HUB });
  });

  it("is extended and closed there, and the hub's own session is unaffected", async () => {
    const deps = testDeps(ORG);
    const client = api(deps);
    await client.open({ instanceId: hubWorld.instanceIds[0], ttl: "2h" });
    await client.open({ instanceId: memberWorld.instanceIds[0], accountId: MEMBER, ttl: "1h" });

    const extended = await client.extend(memberWorld.vpcId, { ttl: "3h" });
    expect(extended).toMatchObject({ status: 200, body: { session: { accountId: MEMBER, expiresAt: "2026-11-30T13:00:00Z" } } });
    const { Stacks } = await member.cloudFormation.send(new DescribeStacksCommand({ StackName: `ssm-knock-${memberWorld.vpcId}` }));
    expect(Stacks?.[0]?.Parameters?.find((p) => p.ParameterKey === "ExpiresAt")?.ParameterValue).toBe("2026-11-30T13:00:00Z");
    expect((await expireInput(memberWorld.vpcId)).accountId).toBe(MEMBER);

    const closed = await client.close(memberWorld.vpcId);
    expect(closed).toMatchObject({ status: 202, body: { session: { accountId: MEMBER, status: "closing" } } });
    expect(await names(member)).toEqual([]);
    expect(await hub.scheduleNames()).toEqual([`ssm-knock-expire-${hubWorld.vpcId}`]);
    expect(await names(hub)).toEqual([`ssm-knock-${hubWorld.vpcId} CREATE_COMPLETE`]);
    expect((await client.get(hubWorld.vpcId)).body.session).toMatchObject({ status: "ready", expiresAt: "2026-11-30T12:00:00Z" });
  });

  it("expires there when its timer fires, and the hub's session, not yet expired, stays", async () => {
    const deps = testDeps(ORG);
    const client = api(deps);
    await client.open({ instanceId: hubWorld.instanceIds[0], ttl: "3h" });
    await client.open({ instanceId: memberWorld.instanceIds[0], accountId: MEMBER, ttl: "1h" });
    const timer = await expireInput(memberWorld.vpcId);

    deps.clock.advance(HOUR + 60_000);
    expect(await client.expire(timer)).toEqual({ outcome: "deleted", stackName: `ssm-knock-${memberWorld.vpcId}` });
    expect(await names(member)).toEqual([]);
    expect(await names(hub)).toEqual([`ssm-knock-${hubWorld.vpcId} CREATE_COMPLETE`]);
    // A timer armed before accounts existed (no accountId) is the hub's: it finds nothing of the member's.
    const { accountId: _, ...hubLike } = timer;
    expect((await client.expire(hubLike)).outcome).toBe("already_gone");
  });

  it("is swept there: an expired stack deleted, a lost timer re-created, each in its own account", async () => {
    const deps = testDeps(ORG);
    const client = api(deps);
    const second = await seedWorld(new EC2Client({ region: "us-east-1", credentials: credentialsIn(MEMBER) }), {
      region: "us-east-1",
      cidr: "10.51.0.0/16",
      instances: 1,
    });
    await client.open({ instanceId: hubWorld.instanceIds[0], ttl: "3h" });
    await client.open({ instanceId: memberWorld.instanceIds[0], accountId: MEMBER, ttl: "1h" });
    await client.open({ instanceId: second.instanceIds[0], accountId: MEMBER, ttl: "3h" });
    // The second member session's timer is lost; the first member session expires.
    await hub.scheduler.send(new DeleteScheduleCommand({ Name: `ssm-knock-expire-${second.vpcId}-${MEMBER}`, GroupName: "ssm-knock" }));
    deps.clock.advance(HOUR + 60_000);

    expect(await client.sweep()).toMatchObject({
      stacksSeen: 3,
      expiredDeleted: 1,
      schedulesRecreated: 1,
      accountsSwept: 2,
      accountsFailed: 0,
      errors: 0,
    });
    expect(await names(member)).toEqual([`ssm-knock-${second.vpcId} CREATE_COMPLETE`]);
    expect(await names(hub)).toEqual([`ssm-knock-${hubWorld.vpcId} CREATE_COMPLETE`]);
    expect((await hub.scheduleNames()).sort()).toEqual(
      [`ssm-knock-expire-${hubWorld.vpcId}`, `ssm-knock-expire-${second.vpcId}-${MEMBER}`].sort(),
    );
    expect((await expireInput(second.vpcId)).accountId).toBe(MEMBER);
  });
});

describe("a member account's forwarded status events", () => {
  it("tell the session's readiness from its own account; an account not allowed is ignored", async () => {
    const events: SessionEvent[] = [];
    const deps = { ...testDeps(ORG), notifier: { notify: async (event: SessionEvent) => void events.push(event) } };
    await api(deps).open({ vpcId: memberWorld.vpcId, accountId: MEMBER });
    const { Stacks } = await member.cloudFormation.send(new DescribeStacksCommand({ StackName: `ssm-knock-${memberWorld.vpcId}` }));
    const event = (stackId: string) => ({
      source: "aws.cloudformation",
      "detail-type": "CloudFormation Stack Status Change",
      region: "us-east-1",
      detail: { "stack-id": stackId, "status-details": { status: "CREATE_COMPLETE" } },
    });
    const stackId = Stacks?.[0]?.StackId as string;
    expect(stackId).toContain(`:${MEMBER}:stack/`);
    const change = parseStackStatusEvent(event(stackId));
    expect(change).toMatchObject({ accountId: MEMBER, region: "us-east-1" });
    expect(await runAs("stackEvents", () => onStackStatus(deps, change as StackStatusChange))).toBe("ready");
    expect(events.at(-1)).toMatchObject({ type: "session.ready", session: { id: memberWorld.vpcId, accountId: MEMBER } });
    const elsewhere = parseStackStatusEvent(event(stackId.replace(`:${MEMBER}:`, ":333333333333:")));
    expect(await runAs("stackEvents", () => onStackStatus(deps, elsewhere as StackStatusChange))).toBe("ignored");
  });
});

describe("an account taken off ALLOWED_ACCOUNT_IDS while it has sessions", () => {
  it("opens nothing more there, yet its sessions still expire and are swept there, followed by their timers", async () => {
    const opener = testDeps(ORG);
    const second = await seedWorld(new EC2Client({ region: "us-east-1", credentials: credentialsIn(MEMBER) }), {
      region: "us-east-1",
      cidr: "10.51.0.0/16",
      instances: 1,
    });
    await api(opener).open({ vpcId: memberWorld.vpcId, accountId: MEMBER, ttl: "1h" });
    await api(opener).open({ vpcId: second.vpcId, accountId: MEMBER, ttl: "2h" });
    const timer = await expireInput(memberWorld.vpcId);
    // Redeployed with the hub's account alone.
    const after = testDeps({ ALLOWED_ACCOUNT_IDS: HUB }, opener.clock);
    expect((await api(after).open({ vpcId: second.vpcId, accountId: MEMBER })).status).toBe(403);
    expect((await api(after).list()).body.sessions).toEqual([]);

    opener.clock.advance(HOUR + 60_000);
    expect((await api(after).expire(timer)).outcome).toBe("deleted");
    opener.clock.advance(HOUR);
    expect(await api(after).sweep()).toMatchObject({ expiredDeleted: 1, accountsSwept: 2, accountsFailed: 0, errors: 0 });
    expect(await names(member)).toEqual([]);
    expect(await hub.scheduleNames()).toEqual([]);
    // With no timer left naming it, the account is no longer swept.
    expect(await api(after).sweep()).toMatchObject({ accountsSwept: 1 });
  });
});

describe("accounts a request may not use", () => {
  it("answers 403 for an account not in ALLOWED_ACCOUNT_IDS, before anything is read or created", async () => {
    const client = api(testDeps(ORG));
    const refused = await client.open({ instanceId: memberWorld.instanceIds[0], accountId: "333333333333" });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: "forbidden", field: "accountId" } } });
    expect(refused.body.error.message).toMatch(/ALLOWED_ACCOUNT_IDS/);
    expect(await hub.nothingCreated(hubWorld.vpcId)).toEqual({ stacks: [], schedules: [], endpoints: [] });
    expect(await names(member)).toEqual([]);
  });

  it("answers 403 for a member account when none is allowed (the default: the hub's alone), and 400 for a malformed id", async () => {
    const client = api(testDeps());
    expect(await client.open({ vpcId: memberWorld.vpcId, accountId: MEMBER })).toMatchObject({
      status: 403,
      body: { error: { code: "forbidden", field: "accountId" } },
    });
    expect(await client.open({ vpcId: memberWorld.vpcId, accountId: "22222222222" })).toMatchObject({
      status: 400,
      body: { error: { code: "invalid_request", field: "accountId" } },
    });
    expect(await names(member)).toEqual([]);
    expect(await hub.scheduleNames()).toEqual([]);
  });
});

describe("session limits", () => {
  it("counts per account (MAX_SESSIONS_PER_ACCOUNT) and in total (MAX_SESSIONS) from the hub's timers alone", async () => {
    const client = api(testDeps({ ...ORG, MAX_SESSIONS: "2", MAX_SESSIONS_PER_ACCOUNT: "1" }));
    const second = await seedWorld(new EC2Client({ region: "us-east-1", credentials: credentialsIn(MEMBER) }), {
      region: "us-east-1",
      cidr: "10.51.0.0/16",
      instances: 1,
    });
    const another = await seedWorld(new EC2Client({ region: "us-east-1" }), { region: "us-east-1", cidr: "10.61.0.0/16", instances: 1 });
    expect((await client.open({ vpcId: memberWorld.vpcId, accountId: MEMBER })).status).toBe(202);
    const perAccount = await client.open({ vpcId: second.vpcId, accountId: MEMBER });
    expect(perAccount).toMatchObject({
      status: 422,
      body: { error: { code: "session_limit_reached", field: "accountId", limit: 1, open: 1, accountId: MEMBER } },
    });
    expect((await client.open({ vpcId: hubWorld.vpcId })).status).toBe(202);
    const total = await client.open({ vpcId: another.vpcId });
    expect(total).toMatchObject({ status: 422, body: { error: { code: "session_limit_reached", limit: 2, open: 2 } } });
    // Joining a session opens nothing new: no limit applies.
    expect((await client.open({ vpcId: memberWorld.vpcId, accountId: MEMBER })).status).toBe(200);
    expect((await member.liveStacks()).map((s) => s.StackName)).toEqual([`ssm-knock-${memberWorld.vpcId}`]);
  });
});
