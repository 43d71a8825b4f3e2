import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type * as CloudFormationSdk from "@aws-sdk/client-cloudformation";
import type * as SchedulerSdk from "@aws-sdk/client-scheduler";
import type * as SsmSdk from "@aws-sdk/client-ssm";
import { build, type Plugin } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Preferences from "../../lib/aws/preferences.js";
import type * as Schedules from "../../lib/aws/schedules.js";
import type * as Stacks from "../../lib/aws/stacks.js";
import { loadConfig } from "../../lib/runtime/config.js";

// The Lambda bundles register only each client's base exception (esbuild-plugins.cjs), so a
// service error arrives as that class with the error code as its name. This bundles the schedule,
// stack and preferences code with the service's esbuild settings and drives it against moto:
// every error the code tells apart by name must still be recognised, through the protocols the
// service's clients speak, and the modeled classes must really be gone.

const ROOT = join(import.meta.dirname, "../..");
const plugins = createRequire(import.meta.url)(join(ROOT, "esbuild-plugins.cjs")) as Plugin[];

const ENTRY = `
export { deleteTimer, ensureGroup, getTimer, upsertTimer } from "./lib/aws/schedules.js";
export { findStack } from "./lib/aws/stacks.js";
export { readSessionPreferences } from "./lib/aws/preferences.js";
export { SSMClient } from "@aws-sdk/client-ssm";
export { GetScheduleCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
export { CloudFormationClient, CreateStackCommand } from "@aws-sdk/client-cloudformation";
`;

type Bundle = typeof Schedules &
  typeof Stacks &
  typeof Preferences &
  typeof SchedulerSdk &
  typeof CloudFormationSdk &
  Pick<typeof SsmSdk, "SSMClient">;

let dir: string;
let code: string;
let bundle: Bundle;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ssm-knock-bundle-"));
  // As serverless.yml's custom.esbuild (ESM-first resolution, the plugins, minified ESM), but for
  // the Node that runs the tests rather than Lambda's.
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: ROOT, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "node22",
    mainFields: ["module", "main"],
    plugins,
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    write: false,
    logLevel: "error",
  });
  const file = join(dir, "bundle.mjs");
  code = result.outputFiles[0].text;
  writeFileSync(file, code);
  bundle = (await import(pathToFileURL(file).href)) as Bundle;
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = () => loadConfig({ ...process.env, SCHEDULE_GROUP: "ssm-knock" });
const timer = {
  action: "expire" as const,
  sessionId: "vpc-0123456789abcdef0",
  region: "us-east-1",
  stackName: "ssm-knock-vpc-0123456789abcdef0",
};

describe("a Lambda bundle without the SDK's modeled error classes", () => {
  it("leaves the modeled classes out and keeps each client's base exception", () => {
    // Named in lists, so that a failure prints the names, not the bundle.
    const modeled = ["scheduler#ConflictException", "cloudformation#AlreadyExistsException", "ssm#InvalidDocument"];
    const base = ["SchedulerServiceException", "CloudFormationServiceException", "SSMServiceException"];
    expect(modeled.filter((id) => code.includes(id))).toEqual([]);
    expect(base.filter((name) => !code.includes(name))).toEqual([]);
  });

  it("names a Scheduler (REST JSON protocol) error by its code", async () => {
    const scheduler = new bundle.SchedulerClient({ region: "us-east-1" });
    const error = await scheduler.send(new bundle.GetScheduleCommand({ Name: "missing", GroupName: "ssm-knock" })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ResourceNotFoundException", $fault: "client", $metadata: { httpStatusCode: 404 } });
  });

  it("names a CloudFormation (query protocol) error by its code", async () => {
    const cloudFormation = new bundle.CloudFormationClient({ region: "us-east-1" });
    const create = () =>
      cloudFormation.send(
        new bundle.CreateStackCommand({ StackName: "bundled-errors", TemplateBody: '{"Resources":{"T":{"Type":"AWS::SNS::Topic"}}}' }),
      );
    await create();
    expect(await create().catch((e: unknown) => e)).toMatchObject({ name: "AlreadyExistsException", $fault: "client" });
    expect(await bundle.findStack(cloudFormation, "no-such-stack")).toBeUndefined();
  });

  it("names an SSM (JSON 1.1 protocol) error by its code: no preferences document is no preferences", async () => {
    const ssm = new bundle.SSMClient({ region: "us-east-1" });
    expect(await bundle.readSessionPreferences(ssm)).toEqual({ ok: true, value: undefined });
  });

  it("handles the errors lib/aws/schedules.ts expects: a missing timer, an existing one", async () => {
    const scheduler = new bundle.SchedulerClient({ region: "us-east-1" });
    expect(await bundle.deleteTimer(scheduler, config(), "expire", timer.sessionId)).toBe(false);
    expect(await bundle.getTimer(scheduler, config(), "expire", timer.sessionId)).toBeUndefined();
    // Moving a timer that is not there falls back to creating it.
    await bundle.upsertTimer(scheduler, config(), timer, new Date("2030-01-01T00:00:00Z"), config().expireFunctionArn, "existing");
    expect((await bundle.getTimer(scheduler, config(), "expire", timer.sessionId))?.ScheduleExpression).toBe("at(2030-01-01T00:00:00)");
    // Creating one that is there (a conflict) moves it instead.
    await bundle.upsertTimer(scheduler, config(), timer, new Date("2031-01-01T00:00:00Z"));
    expect((await bundle.getTimer(scheduler, config(), "expire", timer.sessionId))?.ScheduleExpression).toBe("at(2031-01-01T00:00:00)");
    expect(await bundle.deleteTimer(scheduler, config(), "expire", timer.sessionId)).toBe(true);
  });
});
