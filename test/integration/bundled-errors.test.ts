import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type * as CloudFormationSdk from "@aws-sdk/client-cloudformation";
import type * as SchedulerSdk from "@aws-sdk/client-scheduler";
import { build, type Plugin } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Schedules from "../../lib/aws/schedules.js";
import type * as Stacks from "../../lib/aws/stacks.js";
import { loadConfig } from "../../lib/runtime/config.js";

// The Lambda bundles are built with plugins that rewrite the SDK's generated schema modules
// (esbuild-plugins.cjs). This bundles the schedule and stack code with the service's esbuild
// settings and drives it against moto: every error the code tells apart by name must still be
// recognised, through both protocols the service's clients speak.

const ROOT = join(import.meta.dirname, "../..");
const plugins = createRequire(import.meta.url)(join(ROOT, "esbuild-plugins.cjs")) as Plugin[];

const ENTRY = `
export { deleteTimer, ensureGroup, getTimer, upsertTimer } from "./lib/aws/schedules.js";
export { findStack } from "./lib/aws/stacks.js";
export { GetScheduleCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
export { CloudFormationClient, CreateStackCommand } from "@aws-sdk/client-cloudformation";
`;

type Bundle = typeof Schedules & typeof Stacks & typeof SchedulerSdk & typeof CloudFormationSdk;

let dir: string;
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
  writeFileSync(file, result.outputFiles[0].text);
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

describe("a Lambda bundle built with the service's esbuild plugins", () => {
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
