import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { packagedTemplate, type Template } from "./packaged.js";

let template: Template;

beforeAll(async () => {
  // Shared with the other build tests, which would otherwise package into .serverless/ at the same time.
  template = await packagedTemplate();
}, 180_000);

// cfn-lint and osls take seconds, more while the other suites share the two cores.
describe("npm run package", { timeout: 120_000 }, () => {
  it("produces CloudFormation that passes cfn-lint", () => {
    // W3005 (a DependsOn that a GetAtt already implies) is how the framework writes its own
    // resources; everything else, warnings included, fails the test.
    const output = execFileSync(
      "cfn-lint",
      ["--format", "parseable", "--ignore-checks", "W3005", "--", ".serverless/cloudformation-template-update-stack.json"],
      { encoding: "utf8" },
    );
    expect(output.trim()).toBe("");
  });

  it("ships a region forwarder template (deployed by hand per region, README: Deploy) that passes cfn-lint", () => {
    const output = execFileSync("cfn-lint", ["--format", "parseable", "--", "template/region-events.yaml"], { encoding: "utf8" });
    expect(output.trim()).toBe("");
  });

  it("runs every function on nodejs22.x or newer, each packaged on its own with the template", () => {
    const functions = Object.values(template.Resources).filter((r) => r.Type === "AWS::Lambda::Function");
    expect(functions.length).toBeGreaterThanOrEqual(2);
    for (const fn of functions) {
      expect(String(fn.Properties.Runtime)).toMatch(/^nodejs(2[2-9]|[3-9]\d)\.x$/);
    }
    const zip = execFileSync("unzip", ["-l", ".serverless/open.zip"], { encoding: "utf8" });
    expect(zip).toContain("functions/open.mjs");
    expect(zip).toContain("template/endpoints.yaml");
  });

  it("serves the API through an API Gateway HTTP API with IAM authorization", () => {
    const routes = Object.values(template.Resources).filter((r) => r.Type === "AWS::ApiGatewayV2::Route");
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      if (String(route.Properties.RouteKey).includes("/slack/")) continue;
      expect(route.Properties.AuthorizationType).toBe("AWS_IAM");
    }
  });
});

describe("the sweeper", () => {
  it("has no reserved concurrency, and a run ends before the next starts: timeout under the rate, no async retries", () => {
    const sweeper = template.Resources.SweepLambdaFunction.Properties;
    // Reserved concurrency fails to deploy where the account's quota is low (Lambda keeps 100 unreserved).
    expect(sweeper.ReservedConcurrentExecutions).toBeUndefined();
    const rate = /^rate\((\d+) minutes?\)$/.exec(String(template.Resources.SweepEventsRuleSchedule1.Properties.ScheduleExpression));
    expect(rate).not.toBeNull();
    expect(sweeper.Timeout).toBeLessThan(Number(rate?.[1]) * 60);
    const invokeConfig = Object.values(template.Resources).filter(
      (r) => r.Type === "AWS::Lambda::EventInvokeConfig" && r.Properties.FunctionName?.Ref === "SweepLambdaFunction",
    );
    expect(invokeConfig.map((r) => r.Properties.MaximumRetryAttempts)).toEqual([0]);
  });
});
