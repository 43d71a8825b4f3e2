import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const TEMPLATE = "template/endpoints.yaml";
const text = readFileSync(TEMPLATE, "utf8");

/** The template as CloudFormation reads it (short tags such as !Ref expanded), by cfn-lint's own decoder. */
// biome-ignore lint/suspicious/noExplicitAny: the template is untyped JSON; each test checks the paths it reads
const template: { Resources: Record<string, { Type: string; Properties: Record<string, any> }> } = JSON.parse(
  execFileSync(
    "python3",
    ["-c", "import json,sys\nfrom cfnlint.decode import decode\nprint(json.dumps(decode(sys.argv[1])[0], default=str))", TEMPLATE],
    { encoding: "utf8" },
  ),
);
const resources = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);

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

  it("admits only TCP 443, from a source group or a CIDR, and opens no egress", () => {
    const groups = resources("AWS::EC2::SecurityGroup");
    expect(groups.map(([name]) => name)).toEqual(["EndpointSecurityGroup"]);
    const [, group] = groups[0];
    // Inline rules would bypass the slots below; none but the egress placeholder exists.
    expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    expect(group.Properties.SecurityGroupEgress).toEqual([
      { IpProtocol: "icmp", FromPort: 252, ToPort: 86, CidrIp: "255.255.255.255/32", Description: expect.any(String) },
    ]);
    expect(resources("AWS::EC2::SecurityGroupEgress")).toEqual([]);
    const ingress = resources("AWS::EC2::SecurityGroupIngress");
    expect(ingress).toHaveLength(13);
    for (const [name, rule] of ingress) {
      const { IpProtocol, FromPort, ToPort, GroupId, SourceSecurityGroupId, CidrIp, ...rest } = rule.Properties;
      expect({ name, IpProtocol, FromPort, ToPort, GroupId }).toEqual({
        name,
        IpProtocol: "tcp",
        FromPort: 443,
        ToPort: 443,
        GroupId: { Ref: "EndpointSecurityGroup" },
      });
      // exactly one source, and nothing else that could widen the rule (CidrIpv6, prefix lists)
      expect([SourceSecurityGroupId, CidrIp].filter(Boolean), name).toHaveLength(1);
      expect(Object.keys(rest), name).toEqual(["Description"]);
    }
  });

  it("uses Ref, never GetAtt, in its outputs", () => {
    const outputs = text.split("\nOutputs:")[1];
    expect(outputs).not.toContain("GetAtt");
  });
});
