import { EC2Client } from "@aws-sdk/client-ec2";
import { describe, expect, inject, it } from "vitest";
import { upsertTimer } from "../../lib/aws/schedules.js";
import { createStack } from "../../lib/aws/stacks.js";
import type { SessionSpec } from "../../lib/core/session.js";
import { stackParameters, stackTags } from "../../lib/sessions/stack-record.js";
import { sweep } from "../../lib/sweep/sweep.js";
import { runAs } from "../../local/aws-call-log.js";
import { seedWorld } from "../../local/seed.js";
import { faultProxyForFile } from "../support/fault-proxy-file.js";
import { manualClock, testDeps } from "../support/harness.js";
import { inspector } from "../support/inspect.js";
import { reportStackStatus } from "../support/throttle-proxy.js";

// The sweeper against moto for what moto does (paging at 50, real stacks and schedules), and
// through the fault proxy for what only AWS reaches: stack states after a failed creation or a
// failed delete, and the resources a stuck delete leaves. The proxy rewrites moto's answers with
// the statuses AWS would report; the real SDK parses them.

const look = inspector();
const NOW = new Date("2026-11-30T10:00:00Z");
const proxy = await faultProxyForFile();

const spec = (vpcId: string, subnetId: string, expiresAt: Date): SessionSpec => ({
  vpcId,
  accountId: "123456789012",
  region: "us-east-1",
  subnetIds: [subnetId],
  sourceSecurityGroupIds: [],
  sourceCidrs: ["10.42.0.0/16"],
  services: ["ssm", "ssmmessages"],
  s3RouteTableIds: [],
  expiresAt,
  createdAt: new Date(expiresAt.getTime() - 3_600_000),
  requests: [{ by: "arn:aws:iam::123456789012:user/alice", at: "2026-11-30T08:00:00Z" }],
});

/** `count` real session stacks in moto, each in its own VPC; `timed` of them with their expire timer. */
async function sessions(count: number, expiresAt: Date, timed = 0): Promise<string[]> {
  // Built with the inspector's clients: the world of the test, not calls of a function.
  const config = testDeps().config;
  const made: string[] = [];
  for (let i = 0; i < count; i++) {
    const world = await seedWorld(new EC2Client({ region: "us-east-1" }), {
      region: "us-east-1",
      instances: 0,
      cidr: `10.${100 + (i % 100)}.0.0/16`,
    });
    const stackName = `ssm-knock-${world.vpcId}`;
    const session = spec(world.vpcId, world.subnetIds[0], expiresAt);
    await createStack(look.cloudFormation, {
      stackName,
      parameters: stackParameters(session),
      tags: stackTags(session),
    });
    if (i < timed) {
      await upsertTimer(look.scheduler, config, { action: "expire", sessionId: world.vpcId, region: "us-east-1", stackName }, expiresAt);
    }
    made.push(world.vpcId);
  }
  return made;
}

/** Reports a stack in `status`, as AWS would after a failure moto cannot reproduce. */
const reportStatus = (stackName: string, status: string) => reportStackStatus(proxy, stackName, status);

/** What DescribeStackResources reports for a stuck delete. */
function reportResources(stackName: string, resources: [string, string, string][]) {
  const members = resources
    .map(
      ([logicalId, type, status]) =>
        `<member><StackName>${stackName}</StackName><LogicalResourceId>${logicalId}</LogicalResourceId><ResourceType>${type}</ResourceType><Timestamp>2026-11-30T09:00:00Z</Timestamp><ResourceStatus>${status}</ResourceStatus></member>`,
    )
    .join("");
  proxy.rewrite({
    service: "cloudformation",
    action: "DescribeStackResources",
    edit: (body) => body.replace(/<StackResources>[\s\S]*<\/StackResources>/, `<StackResources>${members}</StackResources>`),
  });
}

/** One timed session whose delete failed (DELETE_FAILED), its resources left as `resources` say. Its stack's name. */
async function stuckDelete(resources: [string, string, string][]): Promise<string> {
  const [vpc] = await sessions(1, new Date(NOW.getTime() + 3_600_000), 1);
  const stackName = `ssm-knock-${vpc}`;
  reportStatus(stackName, "DELETE_FAILED");
  reportResources(stackName, resources);
  return stackName;
}

/** The sweeper through the proxy, with every DeleteStack recorded with its RetainResources. */
function sweepThroughProxy() {
  process.env.AWS_ENDPOINT_URL = proxy.url;
  const deps = testDeps({}, manualClock(NOW));
  const deletes: { StackName?: string; RetainResources?: string[] }[] = [];
  deps.clients("us-east-1").cloudFormation.middlewareStack.add(
    (next) => async (args) => {
      const form = new URLSearchParams(String((args.request as { body?: unknown }).body ?? ""));
      if (form.get("Action") === "DeleteStack") {
        deletes.push({
          StackName: form.get("StackName") ?? undefined,
          RetainResources: [...form.entries()].filter(([key]) => key.startsWith("RetainResources.member")).map(([, value]) => value),
        });
      }
      return next(args);
    },
    { step: "finalizeRequest", name: "recordDeletes" },
  );
  return { deps, deletes };
}

describe("the sweeper against moto", () => {
  it("reads every page of stacks (moto pages DescribeStacks at 50) and of timers", async () => {
    const past = new Date(NOW.getTime() - 60_000);
    await sessions(53, past, 51);
    const deps = testDeps({}, manualClock(NOW));
    const summary = await runAs("sweep", () => sweep(deps));
    expect(summary).toMatchObject({ stacksSeen: 53, expiredDeleted: 53, errors: 0 });
    expect(await look.liveStacks()).toEqual([]);
    expect(await look.scheduleNames()).toEqual([]);
  }, 120_000);
});

describe("the sweeper where only AWS reaches (through the fault proxy)", () => {
  it("retries a DELETE_FAILED stack plainly while an endpoint is still there: never retains a billed endpoint", async () => {
    const stackName = await stuckDelete([
      ["SsmEndpoint", "AWS::EC2::VPCEndpoint", "DELETE_FAILED"],
      ["EndpointSecurityGroup", "AWS::EC2::SecurityGroup", "DELETE_FAILED"],
    ]);
    const { deps, deletes } = sweepThroughProxy();
    expect(await runAs("sweep", () => sweep(deps))).toMatchObject({ deleteRetried: 1, errors: 0 });
    expect(deletes).toEqual([{ StackName: stackName, RetainResources: [] }]);
  });

  it("retains only the failed, free resources once every endpoint is gone", async () => {
    const stackName = await stuckDelete([
      ["SsmEndpoint", "AWS::EC2::VPCEndpoint", "DELETE_COMPLETE"],
      ["EndpointSecurityGroup", "AWS::EC2::SecurityGroup", "DELETE_FAILED"],
      ["SourceGroupIngress0", "AWS::EC2::SecurityGroupIngress", "DELETE_COMPLETE"],
    ]);
    const { deps, deletes } = sweepThroughProxy();
    await runAs("sweep", () => sweep(deps));
    expect(deletes).toEqual([{ StackName: stackName, RetainResources: ["EndpointSecurityGroup"] }]);
  });

  it("deletes a stack whose creation rolled back, however far its expiry, and removes its timers", async () => {
    const [vpc] = await sessions(1, new Date(NOW.getTime() + 24 * 3_600_000), 1);
    reportStatus(`ssm-knock-${vpc}`, "ROLLBACK_COMPLETE");
    const { deps } = sweepThroughProxy();
    expect(await runAs("sweep", () => sweep(deps))).toMatchObject({ failedDeleted: 1, expiredDeleted: 0, errors: 0 });
    process.env.AWS_ENDPOINT_URL = inject("motoEndpoint");
    expect(await look.liveStacks()).toEqual([]);
    expect(await look.scheduleNames()).toEqual([]);
  });

  it("counts a refused delete as an error, does the rest, and leaves the refused stack for the next run", async () => {
    const past = new Date(NOW.getTime() - 60_000);
    await sessions(3, past, 3);
    const { deps } = sweepThroughProxy();
    proxy.inject({ service: "cloudformation", action: "DeleteStack", times: 1, reply: "deny" });
    expect(await runAs("sweep", () => sweep(deps))).toMatchObject({ stacksSeen: 3, expiredDeleted: 2, errors: 1 });
    process.env.AWS_ENDPOINT_URL = inject("motoEndpoint");
    expect(await look.liveStacks()).toHaveLength(1);
    expect(await runAs("sweep", () => sweep(testDeps({}, manualClock(NOW))))).toMatchObject({ expiredDeleted: 1, errors: 0 });
  });
});
