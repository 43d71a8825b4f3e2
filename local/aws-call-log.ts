import { AsyncLocalStorage } from "node:async_hooks";
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import * as factories from "../lib/aws/client-factories.js";
import { accountAccessOf, type ClientFactories, type ClientOptions, type ClientsForRegion, clientsFrom } from "../lib/aws/clients.js";
import type { Config } from "../lib/runtime/config.js";

/**
 * Records every AWS call the service's code makes, with the function that made it, so the test
 * suite can simulate each one against that function's role in the packaged template
 * (test/calls/). moto checks no IAM; this is how a call the deployed role would refuse is found
 * before a deploy. Local mode records when SSM_KNOCK_AWS_CALL_LOG names a file; tests always do.
 */

/**
 * Code that AWS runs for the service but that is no function of it: what these stand in for is
 * not simulated (the deployment creates the schedule group; local mode's scheduler and stack
 * watcher play EventBridge Scheduler and CloudFormation's status events).
 */
export const STAND_INS = {
  deployment: ["CreateScheduleGroupCommand"],
  "eventbridge-scheduler": ["ListSchedulesCommand", "GetScheduleCommand", "DeleteScheduleCommand"],
  "cloudformation-events": ["DescribeStacksCommand"],
  // What CloudFormation itself does on DeleteStack and moto does not: delete the stack's endpoints.
  "cloudformation-deletes": ["DescribeVpcEndpointsCommand", "DeleteVpcEndpointsCommand"],
} as const;

/** A serverless.yml function key ("open", "slackWorker") or a stand-in. */
export type Caller = string;

const running = new AsyncLocalStorage<Caller>();

/** Runs `work` as the code of `caller`: every AWS call inside it, awaited or started, is theirs. */
export const runAs = <T>(caller: Caller, work: () => T): T => running.run(caller, work);

/** A handler that runs as `caller` whenever it is called. */
export const attributed =
  <A extends unknown[], R>(caller: Caller, handler: (...args: A) => R) =>
  (...args: A): R =>
    runAs(caller, () => handler(...args));

/** The configuration that names what the code touches; the simulation maps it to the deployment's. */
export interface Naming {
  /** The hub's own account: a call in any other acted through that account's target role. */
  hubAccountId: string;
  targetRoleName: string;
  stackPrefix: string;
  scheduleGroup: string;
  expireFunctionArn: string;
  warnFunctionArn: string;
  schedulerRoleArn: string;
  cloudFormationRoleArn?: string;
  secretsParameterPath?: string;
}

export interface CallRecord {
  /** Who made the call; absent when nobody said (the simulation fails on those). */
  caller?: Caller;
  client: string;
  command: string;
  region: string;
  /** The account the call acted in (absent in records made before issue 17: the hub's). */
  account?: string;
  input: unknown;
  naming: Naming;
  /** Where in the tests it happened, when known. */
  origin?: string;
}

export const namingOf = (config: Config): Naming => ({
  hubAccountId: config.accounts.hub,
  targetRoleName: config.accounts.targetRoleName,
  stackPrefix: config.stackPrefix,
  scheduleGroup: config.scheduleGroup,
  expireFunctionArn: config.expireFunctionArn,
  warnFunctionArn: config.notify.warnFunctionArn,
  schedulerRoleArn: config.schedulerRoleArn,
  cloudFormationRoleArn: config.cloudFormationRoleArn,
  secretsParameterPath: config.notify.secretsParameterPath,
});

/** Template bodies are long and say nothing about authorisation. */
const trimmed = (input: unknown) => {
  const { TemplateBody, ...rest } = (input ?? {}) as Record<string, unknown>;
  return TemplateBody === undefined ? rest : { ...rest, TemplateBody: `<${String(TemplateBody).length} characters>` };
};

/** The part of an SDK v3 client's middleware stack this uses (the initialize step sees each command once, before retries). */
type Next = (args: { input: unknown }) => Promise<unknown>;
interface Recordable {
  middlewareStack: {
    add(
      middleware: (next: Next, context: { clientName?: string; commandName?: string }) => Next,
      options: { step: "initialize"; name: string },
    ): void;
  };
}

/** Client factories whose clients append a record of every command they send to `file` (JSON lines). */
export function recordingFactories(config: Config, file: string, origin?: () => string | undefined): ClientFactories {
  mkdirSync(dirname(file), { recursive: true });
  const naming = namingOf(config);
  const recording =
    <C>(make: (options: ClientOptions) => C) =>
    (options: ClientOptions, accountId: string): C => {
      const client = make(options);
      (client as unknown as Recordable).middlewareStack.add(
        (next, context) => async (args) => {
          const record: CallRecord = {
            caller: running.getStore(),
            client: String(context.clientName),
            command: String(context.commandName),
            region: options.region,
            account: accountId,
            input: trimmed(args.input),
            naming,
            origin: origin?.(),
          };
          appendFileSync(file, `${JSON.stringify(record)}\n`);
          return next(args);
        },
        { step: "initialize", name: "ssmKnockCallLog" },
      );
      return client;
    };
  return {
    ec2: recording(factories.ec2),
    cloudFormation: recording(factories.cloudFormation),
    scheduler: recording(factories.scheduler),
    ssm: recording(factories.ssm),
    iam: recording(factories.iam),
    pricing: recording(factories.pricing),
    // What a call in a member account needed first (sts:AssumeRole of its target role) is
    // simulated from the call's account, per function (test/calls/), not from STS's own calls.
    assumeRole: factories.assumeRole,
  };
}

export const recordedClients = (config: Config, file: string, origin?: () => string | undefined): ClientsForRegion =>
  clientsFrom(recordingFactories(config, file, origin), accountAccessOf(config));
