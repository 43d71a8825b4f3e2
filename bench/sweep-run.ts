// Runs the sweep function once in a fresh process against the emulator in AWS_ENDPOINT_URL,
// and prints its figures as JSON: wall time, AWS calls, memory. bench/sweeper.ts bundles it like
// the Lambda and runs the bundle with plain node, so the memory is the sweep function's own.
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { createHandler } from "../functions/sweep.js";
import type { AssumeRoleFactory } from "../lib/aws/assume-role.js";
import { assumeRole } from "../lib/aws/client-factories.js";
import { accountAccessOf, type ClientsForRegion, clientsFrom } from "../lib/aws/clients.js";
import { loadConfig } from "../lib/runtime/config.js";
import { depsWith } from "../lib/runtime/deps.js";
import type { SweepSummary } from "../lib/sweep/sweep.js";
import { localContext } from "../local/http.js";
import { CallRecorder, sequentialRounds } from "./recorder.js";

// The sweep function's own clients (as functions/sweep.ts wires them), each with the recorder, in
// every account (ALLOWED_ACCOUNT_IDS) and region; the member accounts' AssumeRole calls counted.
const config = loadConfig();
let assumed = 0;
const counting: AssumeRoleFactory = (input) => {
  const provider = assumeRole(input);
  return (options) => {
    assumed += 1;
    return provider(options);
  };
};
const recorder = new CallRecorder();
const base = clientsFrom(
  {
    cloudFormation: (options) => new CloudFormationClient(options),
    scheduler: (options) => new SchedulerClient(options),
    assumeRole: counting,
  },
  accountAccessOf(config),
);
const recorded: ClientsForRegion = (region, accountId) => {
  const clients = base(region, accountId);
  recorder.attachTo(clients.cloudFormation);
  if (clients.accountId === config.accounts.hub) recorder.attachTo(clients.scheduler);
  return clients;
};
const deps = depsWith(recorded, { config });
const handler = createHandler(() => deps);

// Sample the heap while the sweep runs; the event loop is free whenever a call is in flight.
let peakHeap = process.memoryUsage().heapUsed;
const sampler = setInterval(() => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}, 5);
const rssBefore = process.memoryUsage().rss;
const heapBefore = process.memoryUsage().heapUsed;
const started = performance.now();
const summary = (await handler({}, localContext("sweep"))) as SweepSummary;
const wallMs = performance.now() - started;
clearInterval(sampler);

const byCommand: Record<string, number> = {};
for (const call of recorder.calls) byCommand[`${call.service}.${call.command}`] = (byCommand[`${call.service}.${call.command}`] ?? 0) + 1;
process.stdout.write(
  JSON.stringify({
    wallMs,
    summary,
    calls: recorder.calls.length,
    assumeRoleCalls: assumed,
    attempts: recorder.calls.reduce((sum, call) => sum + call.attempts, 0),
    rounds: sequentialRounds(recorder.calls),
    byCommand,
    rssBeforeMb: rssBefore / 2 ** 20,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    heapBeforeMb: heapBefore / 2 ** 20,
    peakHeapMb: Math.max(peakHeap, process.memoryUsage().heapUsed) / 2 ** 20,
  }),
);
