import { afterEach, expect } from "vitest";
import { cleanEnv, type StandIns, standIns } from "./cli-process.js";
import { FakeApi, type FakeOptions } from "./fake-api.js";
import { TEST_CREDENTIALS } from "./sigv4.js";

export const INSTANCE = "i-0123456789abcdef0";
export const VPC = "vpc-0a1b2c3d4e5f60718";
/** Who the fake API sees when the CLI signs with TEST_CREDENTIALS. */
export const ME = `arn:aws:iam::123456789012:user/${TEST_CREDENTIALS.accessKeyId}`;

/** The CLI suites' fake API, INSTANCE in VPC: one per test, started on demand and stopped after the test. */
export function fakeApiPerTest(): (options?: Partial<FakeOptions>) => Promise<FakeApi> {
  let fake: FakeApi | undefined;
  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });
  return async (options = {}) => {
    fake = await new FakeApi({ instances: { [INSTANCE]: VPC }, ...options }).start();
    return fake;
  };
}

/** A started fake API and the `aws` stand-ins on a PATH of their own, with the environment the CLI reads (plus `extra`). */
export async function cliWorld(fake: FakeApi, include: { aws?: boolean; plugin?: boolean } | undefined, extra: Record<string, string>) {
  const tools = standIns(include);
  const env = cleanEnv(tools, { SSM_KNOCK_API: fake.url, AWS_REGION: "eu-west-1", STANDIN_NOTIFY: `${fake.url}/__standin`, ...extra });
  return { fake, tools, env };
}

/** Waits until the fake API has logged `line` (the moment to interrupt a CLI that is waiting). */
export async function untilLogged(fake: FakeApi, line: string): Promise<void> {
  while (!fake.log.includes(line)) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** What a CLI interrupted while waiting must have done: exit 130 saying why, closed what it opened, run nothing. */
export function expectClosedOnInterrupt(result: { code: number | null; stderr: string }, fake: FakeApi, tools: StandIns): void {
  expect(result.code).toBe(130);
  expect(result.stderr).toContain("SIGINT: stopped waiting.");
  expect(fake.log.at(-1)).toBe(`DELETE ${VPC} by ${ME}`);
  expect(tools.calls()).toEqual([]);
}
