import { regionalClients } from "../../lib/aws/clients.js";
import { loadConfig } from "../../lib/runtime/config.js";
import { createDeps, type Deps } from "../../lib/runtime/deps.js";

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

/** Dependencies against the suite's moto server, with a manual clock and optional config. */
export function testDeps(env: Record<string, string> = {}, clock: ManualClock = manualClock()): Deps & { clock: ManualClock } {
  const deps = createDeps({ config: loadConfig({ ...process.env, ...env }), clock, clients: regionalClients() });
  return { ...deps, clock };
}
