import type { ClientFactories, ClientOptions } from "../../lib/aws/clients.js";
import { clientsFrom } from "../../lib/aws/clients.js";
import { loadConfig } from "../../lib/runtime/config.js";
import { createDeps, type Deps } from "../../lib/runtime/deps.js";
import { startAgentModel } from "../../local/agent/start.js";
import { recordingFactories } from "../../local/aws-call-log.js";
import { callLogFile, currentTest } from "./call-log.js";
import { type ManualClock, manualClock } from "./harness.js";

/** Now, on a whole minute: a 2h TTL then bills exactly 2 started hours (expiries are rounded up to the minute). */
export const thisMinute = () => new Date(Math.floor(Date.now() / 60_000) * 60_000);

/**
 * testDeps() whose clients talk to local mode's SSM Agent model (local/agent/) instead of moto:
 * the model answers SSM's agent calls from the instances' tags and passes the rest to moto. Every
 * call is still recorded for the IAM simulation. The suite's other clients keep talking to moto.
 */
export async function depsThroughAgentModel(motoEndpoint: string, clock: ManualClock = manualClock(thisMinute())) {
  const model = await startAgentModel({ motoEndpoint, clock });
  const config = loadConfig(process.env);
  const recording = recordingFactories(config, callLogFile("in-process"), currentTest);
  const { assumeRole, ...clientFactories } = recording;
  const viaFront = {
    ...Object.fromEntries(
      Object.entries(clientFactories).map(([name, make]) => [
        name,
        (options: ClientOptions, accountId: string) => make({ ...options, endpoint: model.endpoint } as ClientOptions, accountId),
      ]),
    ),
    assumeRole,
  } as ClientFactories;
  const deps: Deps & { clock: ManualClock } = { ...createDeps({ config, clock, clients: clientsFrom(viaFront) }), clock };
  return { deps, model };
}
