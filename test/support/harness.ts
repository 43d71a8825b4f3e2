import { loadConfig } from "../../lib/runtime/config.js";
import { createDeps, type Deps } from "../../lib/runtime/deps.js";
import { recordedClients } from "../../local/aws-call-log.js";
import { callLogFile, currentTest } from "./call-log.js";

/** A clock the test moves by hand. */
export function manualClock(start = new Date("2026-11-30T10:00:00Z")) {
  let now = start.getTime();
  const clock = () => new Date(now);
  return Object.assign(clock, {
    advance: (ms: number) => {
      now += ms;
    },
    set: (date: Date) => {
      now = date.getTime();
    },
  });
}

export type ManualClock = ReturnType<typeof manualClock>;

/**
 * Dependencies against the suite's moto server, with a manual clock and optional config. Every AWS
 * call through them is recorded for the IAM simulation (test/calls/), under the function that
 * runs it: handlers run through test/support/api.ts and slack.ts, or wrapped in runAs().
 */
export function testDeps(env: Record<string, string> = {}, clock: ManualClock = manualClock()): Deps & { clock: ManualClock } {
  const config = loadConfig({ ...process.env, ...env });
  const deps = createDeps({ config, clock, clients: recordedClients(config, callLogFile("in-process"), currentTest) });
  return { ...deps, clock };
}
