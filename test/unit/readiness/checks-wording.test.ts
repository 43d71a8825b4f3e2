import type { Instance, InstanceStateName, VpcEndpoint } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { type Check, known, type ReadinessFacts, unknownRead } from "../../../lib/core/readiness-facts.js";
import { endpoint, facts, run } from "../../support/readiness-facts.js";

type PingFacts = Extract<ReadinessFacts["ping"], { ok: true }>["value"];

// Each check's exact words: the message says what is wrong, the fix what to run. The rules
// themselves are in checks.test.ts.

const instance = (over: Partial<Instance> = {}): ReadinessFacts["instance"] =>
  known({ InstanceId: "i-1", State: { Name: "running" }, VpcId: "vpc-1", ...over });
const state = (name: string) => known({ InstanceId: "i-1", State: { Name: name as InstanceStateName } });
const said = (f: ReadinessFacts, name: Check["name"]) => {
  const { status, message, fix } = run(f)[name];
  return [status, message, fix];
};
const ping = (over: Partial<PingFacts>): ReadinessFacts["ping"] => known({ InstanceId: "i-1", ...over });
const CORE_FIX = "Reboot the instance (restartAgent) to have its agent register within about a minute";
const dead = ["deleting", "deleted", "failed", "rejected", "expired"].map((s) => s as VpcEndpoint["State"]);

describe("instance-running's words", () => {
  it.each([
    [unknownRead("AccessDenied"), "unknown", "Could not be read: AccessDenied.", null],
    [known(undefined), "fail", "i-1 does not exist in us-east-1.", "Check the instance id and the region."],
    [state("running"), "ok", "i-1 is running.", null],
    [state("pending"), "warn", "i-1 is starting (pending).", "Wait until it is running."],
    [state("terminated"), "fail", "i-1 is terminated.", "Pick a running instance; a terminated one cannot come back."],
    [state("shutting-down"), "fail", "i-1 is shutting-down.", "Pick a running instance; a terminated one cannot come back."],
    [
      state("stopped"),
      "fail",
      "i-1 is stopped; its agent runs only while it runs.",
      "Start it: aws ec2 start-instances --instance-ids i-1.",
    ],
    [
      known({ InstanceId: "i-1" }),
      "fail",
      "i-1 is unknown; its agent runs only while it runs.",
      "Start it: aws ec2 start-instances --instance-ids i-1.",
    ],
  ])("%j", (read, status, message, fix) => {
    expect(said(facts({ instance: read as ReadinessFacts["instance"] }), "instance-running")).toEqual([status, message, fix]);
  });
});

describe("agent-ping's words", () => {
  it.each([
    [{ ping: unknownRead("HTTP 500") }, "unknown", "SSM's view could not be read: HTTP 500.", null],
    [
      { ping: known(undefined), instance: instance() },
      "warn",
      "SSM has not heard from the agent of i-1 since its launch.",
      `${CORE_FIX}, once the checks below pass.`,
    ],
    [{ ping: ping({ PingStatus: "Online" }) }, "ok", "Online.", null],
    [{ ping: ping({ PingStatus: "Online", AgentVersion: "3.3.1000.0" }) }, "ok", "Online (agent 3.3.1000.0).", null],
    [
      { ping: ping({ PingStatus: "Online", AgentVersion: "3.3.1000.0" }), connection: known("notconnected") },
      "warn",
      "Online (agent 3.3.1000.0), but Session Manager cannot connect yet (GetConnectionStatus: notconnected).",
      null,
    ],
    [
      { ping: ping({ PingStatus: "ConnectionLost", AgentVersion: "3.3.1000.0" }) },
      "warn",
      "ConnectionLost (agent 3.3.1000.0).",
      `${CORE_FIX}, or wait for that retry.`,
    ],
    [
      { ping: ping({ PingStatus: "Inactive", AgentVersion: "3.3.1000.0" }) },
      "fail",
      "SSM reports Inactive (agent 3.3.1000.0).",
      "Re-register the instance's agent, or pick another instance.",
    ],
    [{ ping: ping({}) }, "fail", "SSM reports no ping status.", "Re-register the instance's agent, or pick another instance."],
  ])("%j", (over, status, message, fix) => {
    expect(said(facts(over as Partial<ReadinessFacts>), "agent-ping")).toEqual([status, message, fix]);
  });
});

describe("the endpoint checks' words and choice of endpoint", () => {
  const MISSING_FIX = (service: string) =>
    `Open a session for this VPC (ssm-knock creates it), or create an Interface endpoint for com.amazonaws.us-east-1.${service} with private DNS.`;
  const only = (...endpoints: VpcEndpoint[]) =>
    facts({ endpoints: known([...endpoints, endpoint("ssmmessages"), endpoint("ec2messages")]) });

  it("names an unreadable list, a missing, pending or DNS-less endpoint, and an available one", () => {
    expect(said(facts({ endpoints: unknownRead("HTTP 403") }), "endpoint-ssm")).toEqual(["unknown", "Could not be read: HTTP 403.", null]);
    expect(said(only(), "endpoint-ssm")).toEqual(["fail", "The VPC has no ssm endpoint.", MISSING_FIX("ssm")]);
    expect(said(only(endpoint("ssm", { State: "pending" as VpcEndpoint["State"] })), "endpoint-ssm")).toEqual([
      "warn",
      "vpce-ssm (ssm) is pending, not yet available.",
      "Wait until it is available.",
    ]);
    expect(said(only(endpoint("ssm", { PrivateDnsEnabled: false })), "endpoint-ssm")).toEqual([
      "fail",
      "vpce-ssm (ssm) has private DNS off, so the agent's requests for ssm.us-east-1.amazonaws.com do not reach it.",
      "Turn private DNS on: aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-ssm --private-dns-enabled.",
    ]);
    expect(said(only(endpoint("ssm")), "endpoint-ssm")).toEqual(["ok", "vpce-ssm (ssm) is available with private DNS.", null]);
  });

  it("says whether the agent needs ec2messages, by its version", () => {
    const without = known([endpoint("ssm"), endpoint("ssmmessages")]);
    expect(said(facts({ endpoints: without }), "endpoint-ec2messages")).toEqual([
      "ok",
      "No ec2messages endpoint; agent 3.3.1000.0 does not need one.",
      null,
    ]);
    expect(said(facts({ endpoints: without, ping: known(undefined) }), "endpoint-ec2messages")).toEqual([
      "warn",
      "The VPC has no ec2messages endpoint (needed by agents before 3.3.40.0; this agent's version is unknown).",
      MISSING_FIX("ec2messages"),
    ]);
    expect(
      said(facts({ endpoints: without, ping: ping({ PingStatus: "Online", AgentVersion: "3.2.1.0" }) }), "endpoint-ec2messages"),
    ).toEqual(["fail", "The VPC has no ec2messages endpoint.", MISSING_FIX("ec2messages")]);
  });

  it.each(dead)("ignores an endpoint that is %s", (endpointState) => {
    expect(said(only(endpoint("ssm", { State: endpointState })), "endpoint-ssm")[1]).toBe("The VPC has no ssm endpoint.");
  });

  it("ignores Gateway endpoints and takes an endpoint without a type as an Interface one", () => {
    expect(said(only(endpoint("ssm", { VpcEndpointType: "Gateway" })), "endpoint-ssm")[1]).toBe("The VPC has no ssm endpoint.");
    expect(said(only(endpoint("ssm", { VpcEndpointType: undefined })), "endpoint-ssm")[0]).toBe("ok");
  });

  it("prefers an available endpoint with private DNS, then an available one, over the order listed", () => {
    const pending = endpoint("ssm", { VpcEndpointId: "vpce-pending", State: "pending" as VpcEndpoint["State"] });
    const noDns = endpoint("ssm", { VpcEndpointId: "vpce-nodns", PrivateDnsEnabled: false });
    const good = endpoint("ssm", { VpcEndpointId: "vpce-good" });
    expect(said(only(pending, noDns, good), "endpoint-ssm")[1]).toBe("vpce-good (ssm) is available with private DNS.");
    expect(said(only(noDns, good), "endpoint-ssm")[1]).toBe("vpce-good (ssm) is available with private DNS.");
    expect(said(only(pending, noDns), "endpoint-ssm")[1]).toMatch(/^vpce-nodns \(ssm\) has private DNS off/);
  });
});

describe("vpc-dns's words", () => {
  const command = (flag: string) => `aws ec2 modify-vpc-attribute --vpc-id vpc-1 ${flag} '{"Value":true}'`;
  const tail = "so the endpoints' private DNS names do not resolve.";
  it.each([
    [{ dnsSupport: unknownRead("x") }, "unknown", "Could not be read: x.", null],
    [{ dnsHostnames: unknownRead("y") }, "unknown", "Could not be read: y.", null],
    [{}, "ok", "enableDnsSupport and enableDnsHostnames are on.", null],
    [{ dnsSupport: known(false) }, "fail", `enableDnsSupport is off on vpc-1, ${tail}`, `Turn it on: ${command("--enable-dns-support")}.`],
    [
      { dnsHostnames: known(false) },
      "fail",
      `enableDnsHostnames is off on vpc-1, ${tail}`,
      `Turn it on: ${command("--enable-dns-hostnames")}.`,
    ],
    [
      { dnsSupport: known(false), dnsHostnames: known(false) },
      "fail",
      `enableDnsSupport and enableDnsHostnames are off on vpc-1, ${tail}`,
      `Turn them on: ${command("--enable-dns-support")} && ${command("--enable-dns-hostnames")}.`,
    ],
  ])("%j", (over, status, message, fix) => {
    expect(said(facts({ instance: instance(), ...(over as Partial<ReadinessFacts>) }), "vpc-dns")).toEqual([status, message, fix]);
  });

  it("says 'the VPC' when the instance's VPC is not known, and a command to fill in, never an undefined id", () => {
    const [, message, fix] = said(facts({ instance: unknownRead("x"), dnsSupport: known(false) }), "vpc-dns");
    expect(message).toBe(`enableDnsSupport is off on the VPC, ${tail}`);
    expect(fix).toBe(`Turn it on: aws ec2 modify-vpc-attribute --vpc-id <vpc-id> --enable-dns-support '{"Value":true}'.`);
  });
});
