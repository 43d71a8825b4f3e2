import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const TEMPLATE = "template/endpoints.yaml";
const text = readFileSync(TEMPLATE, "utf8");

// cfn-lint takes seconds, more while the other suites share the two cores.
describe("the endpoint template", { timeout: 60_000 }, () => {
  it("passes cfn-lint with no errors and no warnings", () => {
    // cfn-lint exits non-zero on any error (2), warning (4) or informational finding (8).
    const output = execFileSync("cfn-lint", ["--format", "parseable", "--", TEMPLATE], { encoding: "utf8" });
    expect(output.trim()).toBe("");
  });

  it("names no region and no Availability Zone", () => {
    expect(text).not.toMatch(/(?:us|eu|ap|sa|ca|me|af|il|mx)-(?:north|south|east|west|central|northeast|southeast)-\d/);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the CloudFormation substitution, literally
    expect(text).toContain("com.amazonaws.${AWS::Region}.ssm");
  });

  it("admits only TCP 443 and opens no egress", () => {
    const ports = [...text.matchAll(/FromPort: (\d+)\s+ToPort: (\d+)/g)].map((m) => `${m[1]}-${m[2]}`);
    const ingress = text.split("SourceGroupIngress0:")[1];
    expect(ingress).toBeDefined();
    expect(ports.filter((p) => p === "443-443").length).toBe(13);
    expect(text).toMatch(/SecurityGroupEgress:\s+- IpProtocol: icmp\s+FromPort: 252\s+ToPort: 86\s+CidrIp: 255\.255\.255\.255\/32/);
  });

  it("uses Ref, never GetAtt, in its outputs", () => {
    const outputs = text.split("\nOutputs:")[1];
    expect(outputs).not.toContain("GetAtt");
  });
});
