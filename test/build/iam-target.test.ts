import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { memberStackRoleArn, targetRoleArn } from "../../lib/aws/assume-role.js";
import { loadConfig } from "../../lib/runtime/config.js";
import { arnsIn } from "../iam/arns.js";
import { ACCOUNT, Deployment } from "../iam/deployment.js";
import { decideForRole, mayAssume } from "../iam/simulate.js";
import { hubMayAssume, MEMBER, targetDeployment, targetTemplate } from "../iam/target.js";
import { TARGET_DENY_CORPUS } from "../iam/target-deny-corpus.js";
import { packagedTemplate, type Template } from "./packaged.js";

// template/target-account.yaml, as a StackSet deploys it into a member account for the hub's dev
// stage, and the hub's side of the trust: who may assume its role, what that role may do there,
// and what it must be refused (evaluated by iam-simulate against the Service Authorization
// Reference). The calls the suites make in member accounts are simulated against it too
// (test/calls/recorded-calls.test.ts).

const TEMPLATE = "template/target-account.yaml";
let template: Template;
let member: Deployment;
let hub: Deployment;

beforeAll(async () => {
  template = targetTemplate();
  member = targetDeployment(template);
  hub = new Deployment(await packagedTemplate());
}, 180_000);

describe("the target template", { timeout: 60_000 }, () => {
  it("passes cfn-lint with no errors and no warnings", () => {
    const output = execFileSync("cfn-lint", ["--format", "parseable", "--", TEMPLATE], { encoding: "utf8" });
    expect(output.trim()).toBe("");
  });

  it("is region-agnostic (deployed once per account: IAM is global) and has only IAM resources", () => {
    const text = readFileSync(TEMPLATE, "utf8");
    expect(text).not.toMatch(/(?:us|eu|ap|sa|ca|me|af|il|mx)-(?:north|south|east|west|central|northeast|southeast)-\d/);
    expect(text).not.toContain("AWS::Region");
    expect(new Set(Object.values(template.Resources).map((r) => r.Type))).toEqual(new Set(["AWS::IAM::Role", "AWS::IAM::Policy"]));
  });

  it("names its roles as the hub's configuration derives them for the stage", () => {
    const config = loadConfig({ STACK_PREFIX: "ssm-knock-dev", ALLOWED_ACCOUNT_IDS: MEMBER });
    expect(member.roleArn("TargetRole")).toBe(targetRoleArn("us-east-1", MEMBER, config.accounts.targetRoleName));
    expect(member.roleArn("EndpointStackRole")).toBe(memberStackRoleArn("us-east-1", MEMBER, config.accounts.targetRoleName));
    // and the hub's functions are told that name (serverless.yml)
    expect(hub.environmentOf("open").TARGET_ROLE_NAME).toBe(config.accounts.targetRoleName);
    expect(hub.environmentOf("sweep").HUB_ACCOUNT_ID).toBe(ACCOUNT);
  });
});

describe("who may assume the target role", () => {
  it.each(["ApiRole", "JanitorRole", "ReadinessRole"])("the hub's %s, by its own policy and the role's trust", async (role) => {
    expect(await hubMayAssume(hub, role, member, "TargetRole")).toBe("Allowed");
  });

  it.each(["NotifyRole", "SlackRole"])("not the hub's %s: it neither has the grant nor is trusted", async (role) => {
    expect(await hubMayAssume(hub, role, member, "TargetRole")).not.toBe("Allowed");
    expect(await hubMayAssume(hub, role, member, "TargetRole", { identity: "any" })).not.toBe("Allowed");
  });

  it("not another stage's roles, not a role of that name in another account, not once the hub has left the organization", async () => {
    expect(await hubMayAssume(hub, "ApiRole", member, "TargetRole", { identity: "any", stage: "prod" })).not.toBe("Allowed");
    expect(await hubMayAssume(hub, "ApiRole", member, "TargetRole", { identity: "any", account: "333333333333" })).not.toBe("Allowed");
    expect(await hubMayAssume(hub, "ApiRole", member, "TargetRole", { org: null })).not.toBe("Allowed");
    expect(await hubMayAssume(hub, "ApiRole", member, "TargetRole", { org: "o-zzzzzzzzzz" })).not.toBe("Allowed");
  });

  it("not a service; and CloudFormation, not the hub, assumes the member's endpoint stack role", async () => {
    expect(await mayAssume(member, "TargetRole", "lambda.amazonaws.com")).not.toBe("Allowed");
    expect(await mayAssume(member, "EndpointStackRole", "cloudformation.amazonaws.com")).toBe("Allowed");
    expect(await hubMayAssume(hub, "ApiRole", member, "EndpointStackRole", { identity: "any" })).not.toBe("Allowed");
  });

  it("by the hub's own policies, only the functions that act in member accounts may assume that role, and no other role there", async () => {
    // A trust that admits the whole hub account, so that the hub roles' own policies alone decide.
    const trustsHub = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole" }],
    };
    const assume = (resource: string) => ({ action: "sts:AssumeRole", resource, resourcePolicy: trustsHub });
    for (const role of ["ApiRole", "JanitorRole", "ReadinessRole"]) {
      expect(await decideForRole(hub, role, assume(member.roleArn("TargetRole"))), role).toBe("Allowed");
    }
    for (const role of ["NotifyRole", "SlackRole"]) {
      expect(await decideForRole(hub, role, assume(member.roleArn("TargetRole"))), role).not.toBe("Allowed");
    }
    for (const role of ["ApiRole", "JanitorRole", "ReadinessRole", "NotifyRole", "SlackRole"]) {
      const other = arnsIn(MEMBER).role("OrganizationAccountAccessRole");
      expect(await decideForRole(hub, role, assume(other)), role).not.toBe("Allowed");
      expect(await decideForRole(hub, role, assume(arnsIn(MEMBER).role("ssm-knock-prod-target"))), role).not.toBe("Allowed");
    }
  });
});

describe("the target deny corpus", () => {
  it("has at least 30 cases, none repeated, for both roles", () => {
    expect(TARGET_DENY_CORPUS.length).toBeGreaterThanOrEqual(30);
    const keys = TARGET_DENY_CORPUS.map((c) => `${c.role} ${c.request.action} ${c.request.resource} ${JSON.stringify(c.request.context)}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(TARGET_DENY_CORPUS.map((c) => c.role))).toEqual(new Set(["TargetRole", "EndpointStackRole"]));
  });

  it.each(TARGET_DENY_CORPUS.map((c) => [`${c.role} ${c.why}`, c] as const))("%s: denied", async (_, c) => {
    expect(await decideForRole(member, c.role, c.request)).not.toBe("Allowed");
  });
});

describe("reboots in a member account, opt-in", () => {
  it("are allowed to the target role only where the StackSet says AllowReboot=true", async () => {
    const reboot = { action: "ec2:RebootInstances", resource: arnsIn(MEMBER).instance("i-0123456789abcdef0") };
    expect(await decideForRole(targetDeployment(template, { allowReboot: true }), "TargetRole", reboot)).toBe("Allowed");
    expect(await decideForRole(member, "TargetRole", reboot)).not.toBe("Allowed");
  });
});
