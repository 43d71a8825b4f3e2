import { DescribeStacksCommand, UpdateStackCommand } from "@aws-sdk/client-cloudformation";
import { EC2Client } from "@aws-sdk/client-ec2";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHandler as stackEventsHandler } from "../../functions/stack-events.js";
import { backgroundNotifier } from "../../lib/notify/notifiers.js";
import { handleSessionEvent } from "../../lib/notify/pipeline.js";
import { attributed, runAs } from "../../local/aws-call-log.js";
import { type DemoWorld, seedWorld } from "../../local/seed.js";
import { api } from "../support/api.js";
import { lambdaContext, stackStatusEvent } from "../support/events.js";
import { faultProxyForFile } from "../support/fault-proxy-file.js";
import { manualClock, testDeps } from "../support/harness.js";
import { inspector } from "../support/inspect.js";
import { type Receiver, startReceiver } from "../support/receiver.js";

// A join that CloudFormation rolls back (in AWS: adding an AZ without ec2:ModifyVpcEndpoint on the
// subnet). moto applies every update at once, so the rollback is done to moto behind the service's
// back: the stack is put back to its parameters before the join, and the proxy reports the status
// (UPDATE_ROLLBACK_COMPLETE) and the failed resource event that AWS would.

const look = inspector();
const REASON = "API: ec2:ModifyVpcEndpoint You are not authorized to perform this operation. (Service: Ec2, Status Code: 403)";
let world: DemoWorld;
const proxy = await faultProxyForFile();
let receiver: Receiver;

beforeEach(async () => {
  world = await seedWorld(new EC2Client({ region: "us-east-1" }), { region: "us-east-1", instances: 1 });
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

/** The service through the proxy, with notifications delivered to a real receiver (Slack and webhook). */
function service() {
  process.env.AWS_ENDPOINT_URL = proxy.url;
  const deps = testDeps({ NOTIFY_RETRIES: "0" }, manualClock(new Date("2026-11-30T10:00:00Z")));
  const secrets = async () => ({ slackWebhookUrl: receiver.url("/slack"), webhookUrl: receiver.url("/hook"), webhookSecret: "whsec" });
  const notifier = backgroundNotifier((event) => runAs("notify", () => handleSessionEvent(deps, secrets, event)), deps.logger);
  deps.notifier = notifier;
  return { deps, client: api(deps), notifier };
}

/** What AWS reports after the rollback: the stack's status, and the resource event that failed first. */
function reportRollback(stackName: string) {
  proxy.rewrite({
    service: "cloudformation",
    action: "DescribeStacks",
    edit: (body) => body.replaceAll("<StackStatus>UPDATE_COMPLETE</StackStatus>", "<StackStatus>UPDATE_ROLLBACK_COMPLETE</StackStatus>"),
  });
  const failed = `<member><StackId>${stackName}</StackId><EventId>rollback-1</EventId><StackName>${stackName}</StackName><LogicalResourceId>SsmEndpoint</LogicalResourceId><ResourceType>AWS::EC2::VPCEndpoint</ResourceType><Timestamp>2026-11-30T10:05:00Z</Timestamp><ResourceStatus>UPDATE_FAILED</ResourceStatus><ResourceStatusReason>${REASON}</ResourceStatusReason></member>`;
  proxy.rewrite({
    service: "cloudformation",
    action: "DescribeStackEvents",
    edit: (body) => body.replace("<StackEvents>", `<StackEvents>${failed}`),
  });
}

const statusEvent = (stackName: string, status: string) =>
  stackStatusEvent(stackName, status, "The following resource(s) failed to update: [SsmEndpoint].");

describe("a change CloudFormation rolls back", () => {
  it("is told as session.update_failed with CloudFormation's reason, and the timers go back to the expiry the stack still records", async () => {
    const { deps, client, notifier } = service();
    const stackName = `ssm-knock-${world.vpcId}`;
    expect((await client.open({ instanceId: world.instanceIds[0], ttl: "1h" })).status).toBe(202);
    const { Stacks } = await look.cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    const before = Stacks?.[0]?.Parameters ?? [];

    // A second requester joins from the other AZ for 3 hours: the stack and the timer move to 13:00.
    const joined = await client.open(
      { vpcId: world.vpcId, subnetIds: [world.subnetIds[1]], ttl: "3h" },
      "arn:aws:iam::123456789012:user/bob",
    );
    expect(joined.status).toBe(200);
    expect((await look.schedule(`ssm-knock-expire-${world.vpcId}`)).ScheduleExpression).toBe("at(2026-11-30T13:00:00)");

    // CloudFormation rolls the update back: the stack records the expiry of before the join.
    await look.cloudFormation.send(new UpdateStackCommand({ StackName: stackName, UsePreviousTemplate: true, Parameters: before }));
    reportRollback(stackName);
    await notifier.settled();
    receiver.received.length = 0;

    const outcome = await attributed(
      "stackEvents",
      stackEventsHandler(() => deps),
    )(statusEvent(stackName, "UPDATE_ROLLBACK_COMPLETE"), lambdaContext);
    await notifier.settled();

    expect(outcome).toBe("update_failed");
    expect((await look.schedule(`ssm-knock-expire-${world.vpcId}`)).ScheduleExpression).toBe("at(2026-11-30T11:00:00)");
    expect((await look.schedule(`ssm-knock-warn-${world.vpcId}`)).ScheduleExpression).toBe("at(2026-11-30T10:45:00)");
    const hook = receiver.on("/hook")[0]?.json;
    expect(hook).toMatchObject({ type: "session.update_failed", reason: REASON, session: { expiresAt: "2026-11-30T11:00:00Z" } });
    expect(receiver.on("/slack")[0]?.json.text).toContain("was rolled back: API: ec2:ModifyVpcEndpoint You are not authorized");

    const shown = await client.get(world.vpcId);
    expect(shown.body.session).toMatchObject({ status: "ready", stackStatus: "UPDATE_ROLLBACK_COMPLETE", statusReason: REASON });
  });

  it("is not mistaken for one when the update completed", async () => {
    const { deps, client } = service();
    const stackName = `ssm-knock-${world.vpcId}`;
    await client.open({ instanceId: world.instanceIds[0], ttl: "1h" });
    const handle = attributed(
      "stackEvents",
      stackEventsHandler(() => deps),
    );
    expect(await handle(statusEvent(stackName, "UPDATE_COMPLETE"), lambdaContext)).toBe("ignored");
    expect(await handle(statusEvent(stackName, "UPDATE_ROLLBACK_IN_PROGRESS"), lambdaContext)).toBe("ignored");
  });
});
