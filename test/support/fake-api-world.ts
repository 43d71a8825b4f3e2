import { afterEach } from "vitest";
import { cleanEnv, standIns } from "./cli-process.js";
import { FakeApi, type FakeOptions } from "./fake-api.js";

export const INSTANCE = "i-0123456789abcdef0";
export const VPC = "vpc-0a1b2c3d4e5f60718";

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
