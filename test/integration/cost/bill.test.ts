import { EC2Client } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import type { SessionEvent } from "../../../lib/core/session-events.js";
import { backgroundNotifier } from "../../../lib/notify/notifiers.js";
import { handleSessionEvent } from "../../../lib/notify/pipeline.js";
import { runAs } from "../../../local/aws-call-log.js";
import { seedWorld } from "../../../local/seed.js";
import { thisMinute } from "../../support/agent-front.js";
import { api } from "../../support/api.js";
import { manualClock, testDeps } from "../../support/harness.js";
import { inspector } from "../../support/inspect.js";
import { worldAndReceiverPerTest } from "../../support/world-and-receiver.js";

// What a session cost (issue 16), against moto, with the webhook and Slack deliveries on a real
// HTTP receiver on 127.0.0.1:
//   - GET /sessions shows the cost so far, from the stack's CreationTime;
//   - the close reply, the session.closed webhook and the Slack message carry the bill, and it is
//     started hours from CloudFormation's CreationTime to the close, times the Interface
//     endpoints, times the AZs, times the price;
//   - so do the expiry's and the sweeper's session.closed.

const HOUR = 3_600_000;
const look = inspector();
const fixture = worldAndReceiverPerTest();

/** The real notify pipeline (as the notify function runs it), delivering to the receiver. */
function wired() {
  const deps = testDeps({ NOTIFY_RETRIES: "0" }, manualClock(thisMinute()));
  const secrets = async () => ({
    slackWebhookUrl: fixture.receiver.url("/slack"),
    webhookUrl: fixture.receiver.url("/hook"),
    webhookSecret: "whsec",
  });
  const notifier = backgroundNotifier((event) => runAs("notify", () => handleSessionEvent(deps, secrets, event)), deps.logger);
  deps.notifier = notifier;
  const closedHooks = () =>
    fixture.receiver
      .on("/hook")
      .map((r) => r.json as SessionEvent & { bill: Record<string, unknown> })
      .filter((e) => e.type === "session.closed");
  return { deps, service: api(deps), settled: () => notifier.settled(), closedHooks };
}

/** The formula, written out: started hours from the stack's creation, x Interface endpoints x AZs x price. */
async function expectedBill(closedAt: Date, interfaceEndpoints: number, zones: number, price = 0.01) {
  const [stack] = await look.liveStacks();
  const openedAt = stack.CreationTime as Date;
  const startedHours = Math.max(1, Math.ceil((closedAt.getTime() - openedAt.getTime()) / HOUR));
  const endpointHours = startedHours * interfaceEndpoints * zones;
  return {
    endpointHours,
    usd: Math.round(endpointHours * price * 10_000) / 10_000,
    openedAt: `${openedAt.toISOString().slice(0, 19)}Z`,
    closedAt: `${closedAt.toISOString().slice(0, 19)}Z`,
    startedHours,
  };
}

describe("the bill", () => {
  it("is on GET /sessions as the cost so far, and on the close reply, the webhook and Slack when the session closes", async () => {
    const { deps, service, settled, closedHooks } = wired();
    // Two AZs, and the free S3 Gateway endpoint: 3 Interface endpoints x 2 AZs.
    expect(
      (await service.open({ instanceId: fixture.world.instanceIds[0], subnetIds: fixture.world.subnetIds, extras: ["s3"], ttl: "4h" }))
        .status,
    ).toBe(202);
    deps.clock.advance(90 * 60_000);
    const soFar = await expectedBill(deps.clock(), 3, 2);
    const [listed] = (await service.list()).body.sessions;
    expect(listed.costSoFarUsd).toBe(soFar.usd);

    deps.clock.advance(60 * 60_000 + 30_000);
    const bill = await expectedBill(deps.clock(), 3, 2);
    const closed = await service.close(fixture.world.vpcId);
    expect(closed.status).toBe(202);
    expect(closed.body.bill).toMatchObject({ ...bill, interfaceEndpoints: 3, availabilityZones: 2, pricePerEndpointHourUsd: 0.01 });
    await settled();
    expect(closedHooks()).toHaveLength(1);
    expect(closedHooks()[0].bill).toEqual(closed.body.bill);
    const slack = fixture.receiver.on("/slack").map((r) => r.json as { text: string; blocks: { elements?: { text: string }[] }[] });
    const closedMessage = slack.find((message) => message.text.includes("is closed"));
    expect(closedMessage?.text).toContain(`Bill: USD ${bill.usd.toFixed(2)}, ${bill.endpointHours} endpoint-hours`);
    expect(JSON.stringify(closedMessage?.blocks)).toContain(
      `${bill.endpointHours} endpoint-hours (3 endpoints x 2 AZs x ${bill.startedHours} started hours at USD 0.01)`,
    );
  });

  it("is on the expiry's session.closed and on the sweeper's", async () => {
    const { deps, service, settled, closedHooks } = wired();
    const opened = await service.open({ instanceId: fixture.world.instanceIds[0], ttl: "1h" });
    deps.clock.set(new Date(new Date(opened.body.session.expiresAt).getTime() + 5 * 60_000));
    const expired = await expectedBill(deps.clock(), 3, 1);
    expect(
      await service.expire({
        action: "expire",
        sessionId: fixture.world.vpcId,
        region: "us-east-1",
        stackName: opened.body.session.stackName,
      }),
    ).toMatchObject({
      outcome: "deleted",
    });
    await settled();
    expect(closedHooks().map((e) => [e.reason, e.bill])).toEqual([["expired", expect.objectContaining(expired)]]);

    const other = await seedWorld(new EC2Client({ region: "us-east-1" }), { region: "us-east-1", cidr: "10.43.0.0/16" });
    const second = await service.open({ instanceId: other.instanceIds[0], ttl: "1h" });
    // Its timer never fires here: the sweeper finds it past its expiry.
    deps.clock.set(new Date(new Date(second.body.session.expiresAt).getTime() + 3 * HOUR));
    const swept = await expectedBill(deps.clock(), 3, 1);
    expect((await service.sweep()).expiredDeleted).toBe(1);
    await settled();
    expect(closedHooks().map((e) => [e.reason, e.bill.endpointHours, e.bill.openedAt])).toEqual([
      ["expired", expired.endpointHours, expired.openedAt],
      ["swept", swept.endpointHours, swept.openedAt],
    ]);
  });
});
