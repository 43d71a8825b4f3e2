import { beforeAll, describe, expect, it } from "vitest";
import { ALLOW_CORPUS } from "../iam/allow-corpus.js";
import { arn } from "../iam/arns.js";
import { DENY_CORPUS } from "../iam/deny-corpus.js";
import { Deployment } from "../iam/deployment.js";
import { withRebootsAllowed } from "../iam/reboot.js";
import { decideForRole, mayAssume } from "../iam/simulate.js";
import { packagedTemplate } from "./packaged.js";

// The packaged template's roles, evaluated by iam-simulate against the Service Authorization
// Reference (iam-data): what they must refuse, and what they must allow beyond the calls the
// suites record (test/calls/recorded-calls.test.ts).

let deployment: Deployment;

beforeAll(async () => {
  deployment = new Deployment(await packagedTemplate());
}, 180_000);

describe("the deny corpus", () => {
  it("has at least 40 cases, none repeated", () => {
    expect(DENY_CORPUS.length).toBeGreaterThanOrEqual(40);
    const keys = DENY_CORPUS.map((c) => `${c.role} ${c.request.action} ${c.request.resource} ${JSON.stringify(c.request.context)}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(DENY_CORPUS.map((c) => [`${c.role} ${c.why}`, c] as const))("%s: denied", async (_, c) => {
    expect(await decideForRole(deployment, c.role, c.request)).not.toBe("Allowed");
  });
});

describe("reboots, opt-in", () => {
  it("are allowed to the readiness role, and to it alone, only where the deployment allows them (allowReboot=true)", async () => {
    const allowing = new Deployment(withRebootsAllowed(deployment.template));
    const reboot = { action: "ec2:RebootInstances", resource: arn.instance("i-0123456789abcdef0") };
    expect(await decideForRole(allowing, "ReadinessRole", reboot)).toBe("Allowed");
    expect(await decideForRole(deployment, "ReadinessRole", reboot)).not.toBe("Allowed");
    for (const role of ["ApiRole", "JanitorRole", "NotifyRole", "SlackRole"]) {
      expect(await decideForRole(allowing, role, reboot), role).not.toBe("Allowed");
    }
  });
});

describe("the allow corpus", () => {
  it.each(ALLOW_CORPUS.map((c) => [`${c.role} ${c.why}`, c] as const))("%s: allowed", async (_, c) => {
    expect(await decideForRole(deployment, c.role, c.request)).toBe("Allowed");
  });
});

describe("trust", () => {
  it("lets CloudFormation assume the endpoint stack role without aws:SourceAccount, which it is not known to send", async () => {
    expect(await mayAssume(deployment, "EndpointStackRole", "cloudformation.amazonaws.com")).toBe("Allowed");
    expect(await mayAssume(deployment, "EndpointStackRole", "lambda.amazonaws.com")).not.toBe("Allowed");
  });

  it("lets Scheduler assume its role only on this account's behalf (Scheduler sends aws:SourceAccount)", async () => {
    expect(await mayAssume(deployment, "SchedulerRole", "scheduler.amazonaws.com", { "aws:SourceAccount": "123456789012" })).toBe(
      "Allowed",
    );
    expect(await mayAssume(deployment, "SchedulerRole", "scheduler.amazonaws.com", { "aws:SourceAccount": "210987654321" })).not.toBe(
      "Allowed",
    );
  });

  it("lets only Lambda assume the functions' roles", async () => {
    for (const role of ["ApiRole", "JanitorRole", "NotifyRole", "SlackRole"]) {
      expect(await mayAssume(deployment, role, "lambda.amazonaws.com"), role).toBe("Allowed");
      expect(await mayAssume(deployment, role, "cloudformation.amazonaws.com"), role).not.toBe("Allowed");
    }
  });
});
