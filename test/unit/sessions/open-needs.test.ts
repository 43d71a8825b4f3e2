import { describe, expect, it } from "vitest";
import type { OpenFacts } from "../../../lib/core/open-facts.js";
import { known, unknownRead } from "../../../lib/core/readiness-facts.js";
import { decideServices } from "../../../lib/sessions/open-needs.js";

const I = "i-0123456789abcdef0";
const agent = (AgentVersion: string, PingStatus: "Online" | "ConnectionLost" = "Online") =>
  known({ InstanceId: I, AgentVersion, PingStatus });
const facts = (overrides: Partial<OpenFacts> = {}): OpenFacts => ({
  agent: agent("3.3.1000.0"),
  preferences: known(undefined),
  ...overrides,
});

describe("decideServices: ec2messages", () => {
  it("leaves it out only for an agent SSM knows at 3.3.40.0 or later, ConnectionLost included, and says why", () => {
    for (const read of [agent("3.3.40.0"), agent("3.3.1000.0", "ConnectionLost"), agent("3.10.0.0")]) {
      const needs = decideServices({ instanceId: I, extras: [], facts: facts({ agent: read }) });
      expect(needs.services).toEqual(["ssm", "ssmmessages"]);
      expect(needs.notes).toEqual([expect.stringMatching(/^ec2messages: not created: i-0123456789abcdef0 runs SSM Agent 3\.\d+\.\d+\.0/)]);
    }
  });

  it("keeps it for an older agent, one SSM does not know, an unreadable SSM, a version it cannot compare, or no instance", () => {
    const cases: [OpenFacts["agent"], string | undefined, RegExp][] = [
      [agent("3.3.39.0"), I, /older than 3\.3\.40\.0.*Fix: update the agent/],
      [known(undefined), I, /SSM does not know i-0123456789abcdef0's agent yet/],
      [unknownRead("the service answered HTTP 500"), I, /could not be asked.*HTTP 500/],
      [agent("latest"), I, /not a version ssm-knock can compare/],
      [undefined, undefined, /no instance was named/],
    ];
    for (const [read, instanceId, why] of cases) {
      const needs = decideServices({ instanceId, extras: [], facts: facts({ agent: read }) });
      expect(needs.services).toEqual(["ssm", "ssmmessages", "ec2messages"]);
      expect(needs.reasons.ec2messages).toMatch(why);
    }
  });

  it("names the agent's version and ping status, as the README's example does", () => {
    const lost = decideServices({ instanceId: I, extras: [], facts: facts({ agent: agent("3.3.1000.0", "ConnectionLost") }) });
    expect(lost.notes[0]).toMatch(
      /^ec2messages: not created: i-0123456789abcdef0 runs SSM Agent 3\.3\.1000\.0 \(ConnectionLost\), and agents from 3\.3\.40\.0 on stop using ec2messages once ssmmessages connects/,
    );
    const unpinged = decideServices({
      instanceId: I,
      extras: [],
      facts: facts({ agent: known({ InstanceId: I, AgentVersion: "3.3.40.0" }) }),
    });
    expect(unpinged.notes[0]).toMatch(/runs SSM Agent 3\.3\.40\.0, and agents from/);
  });

  it.each([
    ["latest", "latest"],
    [undefined, ""],
  ])("quotes the version SSM reports (%j) when it cannot compare it", (AgentVersion, quoted) => {
    const needs = decideServices({ instanceId: I, extras: [], facts: facts({ agent: known({ InstanceId: I, AgentVersion }) }) });
    expect(needs.reasons.ec2messages).toContain(`agent version as "${quoted}", which is not a version`);
  });
});

describe("decideServices: the Session Manager preferences", () => {
  it("adds logs for a CloudWatch Logs group, kms for a key and the S3 gateway for a bucket, each with why", () => {
    const preferences = known({
      cloudWatchLogGroupName: "sessions",
      cloudWatchStreamingEnabled: true,
      kmsKeyId: "alias/ssm",
      s3BucketName: "logs-b",
    });
    const needs = decideServices({ instanceId: I, extras: [], facts: facts({ preferences }) });
    expect(needs.services).toEqual(["ssm", "ssmmessages", "s3", "kms", "logs"]);
    expect(needs.implied).toEqual(["logs", "kms", "s3"]);
    expect(needs.reasons.logs).toMatch(
      /^the Session Manager preferences \(SSM-SessionManagerRunShell\) stream session logs to CloudWatch Logs group "sessions"/,
    );
    expect(needs.reasons.kms).toMatch(/KMS key "alias\/ssm"/);
    expect(needs.reasons.s3).toMatch(/S3 bucket "logs-b"/);
  });

  it("adds nothing without a document or with empty inputs, keeps explicit extras, and says when it could not read them", () => {
    expect(decideServices({ instanceId: I, extras: ["kms"], facts: facts() }).services).toEqual(["ssm", "ssmmessages", "kms"]);
    const empty = known({ cloudWatchStreamingEnabled: false });
    expect(decideServices({ instanceId: I, extras: [], facts: facts({ preferences: empty }) }).services).toEqual(["ssm", "ssmmessages"]);
    const asked = decideServices({
      instanceId: I,
      extras: ["logs"],
      facts: facts({ preferences: known({ cloudWatchLogGroupName: "g", cloudWatchStreamingEnabled: false }) }),
    });
    expect(asked.implied).toEqual([]);
    expect(asked.reasons.logs).toMatch(/preferences \(SSM-SessionManagerRunShell\) upload session logs to CloudWatch Logs group "g"/);
    expect(asked.services).toEqual(["ssm", "ssmmessages", "logs"]);
    const failed = decideServices({ instanceId: I, extras: [], facts: facts({ preferences: unknownRead("AccessDeniedException: no") }) });
    expect(failed.services).toEqual(["ssm", "ssmmessages"]);
    expect(failed.notes.join(" ")).toMatch(/could not be read \(AccessDeniedException: no\).*add "logs", "s3" or "kms" to extras/);
  });
});
