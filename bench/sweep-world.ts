import { CloudFormationClient, CreateStackCommand } from "@aws-sdk/client-cloudformation";
import { CreateSubnetCommand, CreateVpcCommand, EC2Client } from "@aws-sdk/client-ec2";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import pLimit from "p-limit";
import { upsertTimer } from "../lib/aws/schedules.js";
import { createStack, stackNameFor } from "../lib/aws/stacks.js";
import type { SessionSpec } from "../lib/core/session.js";
import type { Config } from "../lib/runtime/config.js";
import { stackParameters, stackTags } from "../lib/sessions/stack-record.js";

export interface SweepWorldOptions {
  region: string;
  config: Config;
  /** The account the stacks go in (default: the hub's), with credentials that act there. */
  accountId?: string;
  credentials?: AwsCredentialIdentityProvider;
  /** ssm-knock sessions (real template) and other stacks (one WaitConditionHandle each). */
  sessions: number;
  others: number;
  now: Date;
  concurrency: number;
}

/** What the sweeper should find: sessions past expiry, live ones with and without a timer. */
export interface SweepWorld {
  expired: number;
  liveWithTimer: number;
  liveWithoutTimer: number;
  others: number;
  setupMs: number;
}

const OTHER_TEMPLATE = JSON.stringify({
  AWSTemplateFormatVersion: "2010-09-09",
  Description: "Someone else's stack: the sweeper must leave it alone.",
  Resources: { Handle: { Type: "AWS::CloudFormation::WaitConditionHandle" } },
});

const MINUTE = 60_000;

/**
 * A big account in moto: `sessions` ssm-knock stacks made by the real template (each in its own
 * VPC, as sessions are one per VPC) and `others` unrelated stacks. Half the sessions expired a
 * while ago (the sweeper deletes them), two in five are live with their timer (nothing to do),
 * one in ten is live but lost its timer (the sweeper re-creates it).
 */
export async function buildSweepWorld(options: SweepWorldOptions): Promise<SweepWorld> {
  const started = performance.now();
  const { region, config, now } = options;
  const accountId = options.accountId ?? config.accounts.hub;
  const ec2 = new EC2Client({ region, credentials: options.credentials });
  const cloudFormation = new CloudFormationClient({ region, credentials: options.credentials });
  // Timers are the hub's, in its own region, whichever account the session is in.
  const scheduler = new SchedulerClient({ region: config.region });
  const limit = pLimit(options.concurrency);
  const world: SweepWorld = { expired: 0, liveWithTimer: 0, liveWithoutTimer: 0, others: options.others, setupMs: 0 };

  const session = async (index: number) => {
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }));
    const vpcId = Vpc?.VpcId as string;
    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.0.1.0/24", AvailabilityZone: `${region}a` }));
    const kind = index % 10 < 5 ? "expired" : index % 10 < 9 ? "liveWithTimer" : "liveWithoutTimer";
    // Expiries spread over the past or next few hours, on whole minutes like real ones.
    const offset = ((index % 50) + 1) * 5 * MINUTE;
    const expiresAt = new Date(Math.ceil((now.getTime() + (kind === "expired" ? -offset : offset)) / MINUTE) * MINUTE);
    const spec: SessionSpec = {
      vpcId,
      accountId,
      region,
      subnetIds: [Subnet?.SubnetId as string],
      sourceSecurityGroupIds: [],
      sourceCidrs: ["10.0.0.0/16"],
      services: ["ssm", "ssmmessages", "ec2messages"],
      s3RouteTableIds: [],
      expiresAt,
      createdAt: new Date(expiresAt.getTime() - 2 * 60 * MINUTE),
      requests: [{ by: "arn:aws:iam::123456789012:user/bench", at: new Date(expiresAt.getTime() - 2 * 60 * MINUTE).toISOString() }],
    };
    const stackName = stackNameFor(config.stackPrefix, vpcId);
    await createStack(cloudFormation, { stackName, parameters: stackParameters(spec), tags: stackTags(spec) });
    if (kind === "liveWithTimer") {
      await upsertTimer(scheduler, config, { action: "expire", sessionId: vpcId, accountId, region, stackName }, expiresAt);
    }
    world[kind] += 1;
  };
  const other = (index: number) =>
    cloudFormation.send(new CreateStackCommand({ StackName: `team-app-${String(index).padStart(4, "0")}`, TemplateBody: OTHER_TEMPLATE }));

  const jobs: Promise<unknown>[] = [];
  for (let index = 0; index < Math.max(options.sessions, options.others); index++) {
    if (index < options.sessions) jobs.push(limit(() => session(index)));
    if (index < options.others) jobs.push(limit(() => other(index)));
  }
  await Promise.all(jobs);
  world.setupMs = performance.now() - started;
  return world;
}

/**
 * An organization in moto: the same world in every account and region (the hub's first, then
 * member accounts `100000000001`, … reached with credentials STS issues for them), summed.
 */
export async function buildOrgSweepWorld(
  options: Omit<SweepWorldOptions, "region" | "accountId" | "credentials"> & { accounts: string[]; regions: string[] },
): Promise<SweepWorld> {
  const started = performance.now();
  const total: SweepWorld = { expired: 0, liveWithTimer: 0, liveWithoutTimer: 0, others: 0, setupMs: 0 };
  for (const accountId of options.accounts) {
    const credentials =
      accountId === options.config.accounts.hub
        ? undefined
        : fromTemporaryCredentials({
            params: { RoleArn: `arn:aws:iam::${accountId}:role/bench-seeder`, RoleSessionName: "bench" },
            clientConfig: { region: options.config.region },
          });
    for (const region of options.regions) {
      const world = await buildSweepWorld({ ...options, region, accountId, credentials });
      total.expired += world.expired;
      total.liveWithTimer += world.liveWithTimer;
      total.liveWithoutTimer += world.liveWithoutTimer;
      total.others += world.others;
    }
  }
  total.setupMs = performance.now() - started;
  return total;
}
