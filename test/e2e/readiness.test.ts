import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { call, type LocalProcess, startLocalProcess } from "../support/local-process.js";
import { type Receiver, startReceiver } from "../support/receiver.js";

// Readiness through local mode as a separate process (issue 14): the SSM Agent model answers SSM
// as the agent's source says it behaves (lib/readiness/backoff.ts); notifications go to a real
// HTTP receiver. Each test starts its own local mode: what one does to an instance (a reboot)
// must not be what another finds.

let local: LocalProcess;
let receiver: Receiver;

beforeEach(async () => {
  receiver = await startReceiver();
  local = await startLocalProcess([], { WEBHOOK_URL: receiver.url("/hook"), WEBHOOK_SECRET: "e2e" });
});
afterEach(async () => {
  await local?.stop();
  await receiver?.close();
});

const show = async () => (await call(local.url, "GET", `/sessions/${local.vpcId}`)).body.session;
const advance = async (minutes: number) => (await call(local.url, "POST", "/local/advance", { minutes })).body;
const clock = async () => new Date((await call(local.url, "GET", "/local/clock")).body.now);
const hookTypes = () => receiver.on("/hook").map((r) => r.json.type as string);
const check = (
  session: { instances: { checks: { name: string; status: string; message: string; fix: string | null }[] }[] },
  name: string,
) => session.instances[0].checks.find((c) => c.name === name) as { status: string; message: string; fix: string | null };

describe("readiness in local mode", () => {
  it("reboots an instance cut off for 6 hours when asked: connectable within 10 virtual minutes, told to the webhook", async () => {
    const opened = await call(local.url, "POST", "/sessions", {
      instanceId: local.offlineInstanceId,
      ttl: "2h",
      restartAgent: "if-offline",
    });
    expect(opened.status).toBe(202);
    // Known to SSM as ConnectionLost: the open says since when, and what ssm-knock will do; its
    // agent (3.3.1000.0) needs no ec2messages, which the open says too (issue 16).
    expect(opened.body.warnings).toEqual([
      expect.stringMatching(/^ec2messages: not created: .* runs SSM Agent 3\.3\.1000\.0 \(ConnectionLost\)/),
      expect.stringMatching(/^agent-ping: ConnectionLost .*offline since .*likely retry.*ssm-knock reboots it/),
    ]);

    await advance(10);
    const session = await show();
    expect(session).toMatchObject({
      connectable: true,
      instances: [{ id: local.offlineInstanceId, pingStatus: "Online", connectable: true }],
    });
    expect(session.instances[0].rebootedAt).toMatch(/^\d{4}-/);
    await receiver.waitForPath("/hook", 4, 10_000);
    const connectable = receiver.on("/hook").find((r) => r.json.type === "session.connectable")?.json;
    expect(connectable?.session.connect).toBe(`aws ssm start-session --target ${local.offlineInstanceId} --region us-east-1`);
    expect(hookTypes()).toEqual(expect.arrayContaining(["session.instance_rebooted", "session.connectable"]));
  });

  it("without restartAgent, connects the same instance only at its agent's next retry, and reboots nothing", async () => {
    const openedAt = await clock();
    expect((await call(local.url, "POST", "/sessions", { instanceId: local.offlineInstanceId, ttl: "3h" })).status).toBe(202);
    const waiting = await show();
    expect(waiting.connectable).toBe(false);
    const ping = check(waiting, "agent-ping");
    expect(ping.status).toBe("warn");
    // "… (at the latest by 10:12Z)": the bound from the agent's jitter.
    const latest = /at the latest by (\d{2}):(\d{2})Z/.exec(ping.message);
    expect(latest).not.toBeNull();

    // Six hours into its backoff the agent tries about once an hour; where in the hour its next
    // try falls depends on its seeded jitter and the instance id moto drew, so the test waits for
    // it (it may come within the first minutes) rather than assuming it is more than 10 away.
    const report = await advance(75);
    const online = report.agents.find(
      (a: { instanceId: string; event: string }) => a.instanceId === local.offlineInstanceId && a.event === "online",
    );
    expect(online).toBeDefined();
    const cameAt = new Date(online.at);
    expect(cameAt.getTime()).toBeGreaterThan(openedAt.getTime());
    const [hours, minutes] = [Number(latest?.[1]), Number(latest?.[2])];
    expect(cameAt.getUTCHours() * 60 + cameAt.getUTCMinutes()).toBeLessThanOrEqual((hours * 60 + minutes + 1) % 1440);
    expect((await show()).connectable).toBe(true);
    await receiver.waitForPath("/hook", 3, 10_000);
    expect(hookTypes()).toContain("session.connectable");
    expect(hookTypes()).not.toContain("session.instance_rebooted");
  });

  it("never connects an instance without an instance profile, and its checks name the fix", async () => {
    expect((await call(local.url, "POST", "/sessions", { instanceId: local.noProfileInstanceId, ttl: "2h" })).status).toBe(202);
    await advance(90);
    const session = await show();
    expect(session.connectable).toBe(false);
    expect(session.instances[0].pingStatus).not.toBe("Online");
    const profile = check(session, "instance-profile");
    expect(profile.status).toBe("fail");
    expect(profile.fix).toMatch(/instance profile/i);
    expect(hookTypes()).not.toContain("session.connectable");
  });
});
