import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type CallRecord, STAND_INS } from "../../local/aws-call-log.js";
import { packagedTemplate } from "../build/packaged.js";
import { isMapped, requestsOf } from "../iam/call-table.js";
import { Deployment } from "../iam/deployment.js";
import { type DeployedNaming, NamingMap } from "../iam/naming.js";
import { withRebootsAllowed } from "../iam/reboot.js";
import { decideForRole } from "../iam/simulate.js";
import { CALL_LOG_DIR } from "../support/call-log.js";

// Runs after the integration and end-to-end suites (npm test): every AWS call their functions made
// (recorded by local/aws-call-log.ts) is simulated by iam-simulate against the role that function
// has in the packaged template. moto enforces no IAM, so this is where a refused call shows.

const files = existsSync(CALL_LOG_DIR) ? readdirSync(CALL_LOG_DIR).filter((f) => f.endsWith(".jsonl")) : [];
const records: (CallRecord & { file: string })[] = files.flatMap((file) =>
  readFileSync(join(CALL_LOG_DIR, file), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => ({ ...(JSON.parse(line) as CallRecord), file })),
);
const standIns = STAND_INS as Record<string, readonly string[]>;

let deployment: Deployment;
beforeAll(async () => {
  // Local mode reboots its emulated instances (ALLOW_REBOOT): the deployment that allows it.
  deployment = new Deployment(withRebootsAllowed(await packagedTemplate()));
}, 180_000);

const where = (r: CallRecord & { file: string }) => `${r.client}.${r.command} (${r.origin ?? r.file})`;
const functionCalls = () => records.filter((r) => r.caller && !standIns[r.caller]);

describe("the recorded AWS calls", () => {
  it("come from this run of both suites: the in-process handlers and local mode's processes", () => {
    expect(files.some((f) => f.startsWith("in-process-"))).toBe(true);
    expect(files.some((f) => f.startsWith("local-"))).toBe(true);
    expect(records.length).toBeGreaterThan(100);
  });

  it("are each attributed to a function of the template, or to a stand-in for what AWS itself does", () => {
    const functions = deployment.functionKeys();
    const strays = records.filter((r) => !r.caller || (!standIns[r.caller] && !functions.includes(r.caller)));
    expect(strays.map((r) => `${r.caller ?? "nobody"}: ${where(r)}`)).toEqual([]);
    const misusedStandIns = records.filter((r) => r.caller && standIns[r.caller] && !standIns[r.caller].includes(r.command));
    expect(misusedStandIns.map((r) => `${r.caller}: ${where(r)}`)).toEqual([]);
  });

  it("are each of a command the call table maps to IAM", () => {
    const unmapped = records.filter((r) => !isMapped(r));
    expect([...new Set(unmapped.map(where))]).toEqual([]);
  });

  it("are each allowed for the role of the function that made it", async () => {
    const seen = new Set<string>();
    const refused: string[] = [];
    for (const record of functionCalls()) {
      const role = deployment.roleOfFunction(record.caller as string);
      const names = new NamingMap(record.naming, deployment.environmentOf(record.caller as string) as unknown as DeployedNaming);
      for (const request of requestsOf(record, names) ?? []) {
        const key = `${role} ${JSON.stringify(request)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const decision = await decideForRole(deployment, role, request);
        if (decision !== "Allowed")
          refused.push(`${record.caller} (${role}): ${request.action} on ${request.resource} - ${decision}, ${where(record)}`);
      }
    }
    expect(seen.size).toBeGreaterThan(20);
    expect(refused).toEqual([]);
  }, 120_000);

  it("cover every function but the Slack acknowledgements' secret reads, which local mode takes from the environment", () => {
    const callers = new Set(functionCalls().map((r) => r.caller));
    const silent = deployment.functionKeys().filter((key) => !callers.has(key));
    expect(silent.sort()).toEqual(["slackCommands", "slackInteractions"]);
  });
});
