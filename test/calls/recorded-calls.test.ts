import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type CallRecord, STAND_INS } from "../../local/aws-call-log.js";
import { packagedTemplate } from "../build/packaged.js";
import { isMapped, memberAccountOf, requestsOf } from "../iam/call-table.js";
import { Deployment } from "../iam/deployment.js";
import { type DeployedNaming, NamingMap } from "../iam/naming.js";
import { withRebootsAllowed } from "../iam/reboot.js";
import { decideForRole, type IamRequest } from "../iam/simulate.js";
import { hubMayAssume, targetDeployment, targetTemplate } from "../iam/target.js";
import { CALL_LOG_DIR } from "../support/call-log.js";

// Runs after the integration and end-to-end suites (npm test): every AWS call their functions made
// (recorded by local/aws-call-log.ts) is simulated by iam-simulate against the role that function
// has in the packaged template. moto enforces no IAM, so this is where a refused call shows. A call
// made in a member account needed the function's role to assume that account's target role, and
// is simulated against that role as template/target-account.yaml deploys it there.

const files = existsSync(CALL_LOG_DIR) ? readdirSync(CALL_LOG_DIR).filter((f) => f.endsWith(".jsonl")) : [];
const records: (CallRecord & { file: string })[] = files.flatMap((file) =>
  readFileSync(join(CALL_LOG_DIR, file), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => ({ ...(JSON.parse(line) as CallRecord), file })),
);
const standIns = STAND_INS as Record<string, readonly string[]>;

let deployment: Deployment;
const members = new Map<string, Deployment>();
/** The target template in a member account, as the suites' local mode wants it (reboots allowed). */
const memberDeployment = (account: string) => {
  let member = members.get(account);
  if (!member) {
    member = targetDeployment(targetTemplate(), { account, allowReboot: true });
    members.set(account, member);
  }
  return member;
};
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

  it("are each allowed for the role of the function that made it, or in a member account for its target role", async () => {
    const seen = new Set<string>();
    const refused: string[] = [];
    const judge = async (record: CallRecord & { file: string }, on: Deployment, role: string, request: IamRequest, as: string) => {
      const key = `${on.account} ${role} ${JSON.stringify(request)}`;
      if (seen.has(key)) return;
      seen.add(key);
      const decision = await decideForRole(on, role, request);
      if (decision !== "Allowed") refused.push(`${as}: ${request.action} on ${request.resource} - ${decision}, ${where(record)}`);
    };
    for (const record of functionCalls()) {
      const role = deployment.roleOfFunction(record.caller as string);
      const deployed = deployment.environmentOf(record.caller as string) as unknown as DeployedNaming;
      const member = memberAccountOf(record);
      const names = new NamingMap(record.naming, deployed, member);
      const as = `${record.caller} (${role}${member ? ` as TargetRole in ${member}` : ""})`;
      if (member && !seen.has(`assume ${role} ${member}`)) {
        // The function's role may assume the target role there: its own policy and the role's trust, by the deployed name.
        seen.add(`assume ${role} ${member}`);
        const target = memberDeployment(member);
        const decision = await hubMayAssume(deployment, role, target, "TargetRole");
        const named = target.roleArn("TargetRole") === `arn:aws:iam::${member}:role/${deployed.TARGET_ROLE_NAME}`;
        if (decision !== "Allowed" || !named)
          refused.push(
            `${record.caller} (${role}): sts:AssumeRole of ${deployed.TARGET_ROLE_NAME} in ${member} - ${decision}, ${where(record)}`,
          );
      }
      for (const request of requestsOf(record, names) ?? []) {
        await (member ? judge(record, memberDeployment(member), "TargetRole", request, as) : judge(record, deployment, role, request, as));
      }
    }
    expect(seen.size).toBeGreaterThan(20);
    expect(refused).toEqual([]);
  }, 120_000);

  it("include calls in member accounts, of the functions that act there", () => {
    const callers = new Set(
      functionCalls()
        .filter((r) => memberAccountOf(r))
        .map((r) => r.caller),
    );
    for (const caller of ["open", "get", "extend", "close", "expire", "sweep"]) expect([...callers], caller).toContain(caller);
  });

  it("cover every function (the Slack acknowledgements' secret reads through the deployed hand-offs)", () => {
    const callers = new Set(functionCalls().map((r) => r.caller));
    const silent = deployment.functionKeys().filter((key) => !callers.has(key));
    expect(silent).toEqual([]);
  });
});
