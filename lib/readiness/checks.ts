import type { Instance, VpcEndpoint } from "@aws-sdk/client-ec2";
import { needsEc2messages } from "../core/agent-version.js";
import { CHECK_NAMES, type Check, type CheckName, NETWORK_CHECKS, type ReadinessFacts } from "../core/readiness-facts.js";
import { offlineSentence } from "./backoff.js";
import { parseCidr } from "./network.js";
import {
  endpointIngressCheck,
  endpointSubnetAclCheck,
  instanceEgressCheck,
  instanceSubnetAclCheck,
  type PathContext,
  routeCheck,
} from "./path-checks.js";
import { profileCheck } from "./profile-check.js";

// The diagnosis of one instance (issue 14): why it is, or is not, reachable through Session
// Manager, each failing line naming its fix. Pure: facts in, checks out; no AWS client here.

// Moved to lib/core (the open plan decides on it too); re-exported for the existing importers.
export { needsEc2messages };

const check = (name: CheckName, status: Check["status"], message: string, fix: string | null = null): Check => ({
  name,
  status,
  message,
  fix,
});

export const agentVersionOf = (facts: ReadinessFacts) => (facts.ping.ok ? facts.ping.value?.AgentVersion : undefined);

function instanceRunning(facts: ReadinessFacts): Check {
  const name = "instance-running";
  if (!facts.instance.ok) return check(name, "unknown", `Could not be read: ${facts.instance.error}.`);
  const instance = facts.instance.value;
  if (!instance) {
    return check(name, "fail", `${facts.instanceId} does not exist in ${facts.region}.`, "Check the instance id and the region.");
  }
  const state = instance.State?.Name ?? "unknown";
  if (state === "running") return check(name, "ok", `${facts.instanceId} is running.`);
  if (state === "pending") return check(name, "warn", `${facts.instanceId} is starting (pending).`, "Wait until it is running.");
  if (state === "terminated" || state === "shutting-down") {
    return check(name, "fail", `${facts.instanceId} is ${state}.`, "Pick a running instance; a terminated one cannot come back.");
  }
  return check(
    name,
    "fail",
    `${facts.instanceId} is ${state}; its agent runs only while it runs.`,
    `Start it: aws ec2 start-instances --instance-ids ${facts.instanceId}.`,
  );
}

function agentPing(facts: ReadinessFacts, now: Date): Check {
  const name = "agent-ping";
  if (!facts.ping.ok) return check(name, "unknown", `SSM's view could not be read: ${facts.ping.error}.`);
  const info = facts.ping.value;
  const reboot = "Reboot the instance (restartAgent) to have its agent register within about a minute";
  if (!info) {
    const launch = facts.instance.ok ? facts.instance.value?.LaunchTime : undefined;
    const when = launch ? `; ${offlineSentence(launch, now, { neverConnected: true })}` : "";
    return check(
      name,
      "warn",
      `SSM has not heard from the agent of ${facts.instanceId} since its launch${when}.`,
      `${reboot}, once the checks below pass.`,
    );
  }
  const version = info.AgentVersion ? ` (agent ${info.AgentVersion})` : "";
  if (info.PingStatus === "Online") {
    if (facts.connection.ok && facts.connection.value === "notconnected") {
      return check(name, "warn", `Online${version}, but Session Manager cannot connect yet (GetConnectionStatus: notconnected).`, null);
    }
    return check(name, "ok", `Online${version}.`);
  }
  if (info.PingStatus === "ConnectionLost") {
    const last = info.LastPingDateTime;
    const when = last ? `; ${offlineSentence(last, now)}` : "";
    return check(name, "warn", `ConnectionLost${version}${when}.`, `${reboot}, or wait for that retry.`);
  }
  return check(
    name,
    "fail",
    `SSM reports ${info.PingStatus ?? "no ping status"}${version}.`,
    "Re-register the instance's agent, or pick another instance.",
  );
}

const DEAD_ENDPOINT_STATES = new Set(["deleting", "deleted", "failed", "rejected", "expired"]);

/** The endpoint the agent would use for a service: available with private DNS, if there is one. */
function endpointFor(facts: ReadinessFacts, service: string): VpcEndpoint | undefined {
  if (!facts.endpoints.ok) return undefined;
  const full = `com.amazonaws.${facts.region}.${service}`;
  const rank = (e: VpcEndpoint) => (e.State?.toLowerCase() === "available" ? 0 : 2) + (e.PrivateDnsEnabled ? 0 : 1);
  return facts.endpoints.value
    .filter((e) => e.ServiceName === full && (e.VpcEndpointType ?? "Interface") === "Interface")
    .filter((e) => !DEAD_ENDPOINT_STATES.has(e.State?.toLowerCase() ?? ""))
    .sort((a, b) => rank(a) - rank(b))[0];
}

function endpointCheck(facts: ReadinessFacts, service: "ssm" | "ssmmessages" | "ec2messages"): Check {
  const name = `endpoint-${service}` as CheckName;
  if (!facts.endpoints.ok) return check(name, "unknown", `Could not be read: ${facts.endpoints.error}.`);
  const needed = service === "ec2messages" ? needsEc2messages(agentVersionOf(facts)) : true;
  const endpoint = endpointFor(facts, service);
  const full = `com.amazonaws.${facts.region}.${service}`;
  if (!endpoint) {
    if (needed === false) return check(name, "ok", `No ${service} endpoint; agent ${agentVersionOf(facts)} does not need one.`);
    const status = needed === undefined ? "warn" : "fail";
    const why = needed === undefined ? " (needed by agents before 3.3.40.0; this agent's version is unknown)" : "";
    return check(
      name,
      status,
      `The VPC has no ${service} endpoint${why}.`,
      `Open a session for this VPC (ssm-knock creates it), or create an Interface endpoint for ${full} with private DNS.`,
    );
  }
  const id = endpoint.VpcEndpointId;
  const state = endpoint.State?.toLowerCase();
  if (state !== "available")
    return check(name, "warn", `${id} (${service}) is ${state}, not yet available.`, "Wait until it is available.");
  if (!endpoint.PrivateDnsEnabled) {
    return check(
      name,
      "fail",
      `${id} (${service}) has private DNS off, so the agent's requests for ${service}.${facts.region}.amazonaws.com do not reach it.`,
      `Turn private DNS on: aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${id} --private-dns-enabled.`,
    );
  }
  return check(name, "ok", `${id} (${service}) is available with private DNS.`);
}

function vpcDns(facts: ReadinessFacts, vpcId: string | undefined): Check {
  const name = "vpc-dns";
  if (!facts.dnsSupport.ok) return check(name, "unknown", `Could not be read: ${facts.dnsSupport.error}.`);
  if (!facts.dnsHostnames.ok) return check(name, "unknown", `Could not be read: ${facts.dnsHostnames.error}.`);
  const off = [!facts.dnsSupport.value && "enableDnsSupport", !facts.dnsHostnames.value && "enableDnsHostnames"].filter(Boolean);
  if (off.length === 0) return check(name, "ok", "enableDnsSupport and enableDnsHostnames are on.");
  const flags = off.map((a) => (a === "enableDnsSupport" ? "--enable-dns-support" : "--enable-dns-hostnames"));
  return check(
    name,
    "fail",
    `${off.join(" and ")} ${off.length > 1 ? "are" : "is"} off on ${vpcId ?? "the VPC"}, so the endpoints' private DNS names do not resolve.`,
    `Turn ${off.length > 1 ? "them" : "it"} on: ${flags.map((f) => `aws ec2 modify-vpc-attribute --vpc-id ${vpcId ?? "<vpc-id>"} ${f} '{"Value":true}'`).join(" && ")}.`,
  );
}

function pathContext(facts: ReadinessFacts, instance: Instance | undefined): PathContext | undefined {
  const address = parseCidr(instance?.PrivateIpAddress);
  if (!instance?.SubnetId || !address) return undefined;
  const needed = needsEc2messages(agentVersionOf(facts)) !== false;
  const services = ["ssm", "ssmmessages", ...(needed ? ["ec2messages"] : [])];
  const endpoints = services.flatMap((s) => endpointFor(facts, s) ?? []);
  const groupIds = (instance.SecurityGroups ?? []).flatMap((g) => (g.GroupId ? [g.GroupId] : []));
  return { facts, instanceId: facts.instanceId, subnetId: instance.SubnetId, address, groupIds, endpoints };
}

const PATH_CHECKS: [CheckName, (c: PathContext) => Check][] = [
  ["endpoint-ingress", endpointIngressCheck],
  ["route-to-endpoints", routeCheck],
  ["nacl-instance-subnet", instanceSubnetAclCheck],
  ["nacl-endpoint-subnets", endpointSubnetAclCheck],
  ["instance-egress", instanceEgressCheck],
];

function pathChecks(facts: ReadinessFacts, instance: Instance | undefined): Check[] {
  const context = pathContext(facts, instance);
  return PATH_CHECKS.map(([name, run]) => {
    if (!context) return check(name, "unknown", "The instance's subnet and address are not known.");
    if (context.endpoints.length === 0) return check(name, "unknown", "There is no endpoint to check the path to.");
    return run(context);
  });
}

/**
 * Every check of one instance, in the runbook's order (AWSSupport-TroubleshootManagedInstance):
 * the instance, SSM's view of its agent, the endpoints, the path to them, its role, VPC DNS.
 */
export function readinessChecks(facts: ReadinessFacts, now: Date): Check[] {
  const instance = facts.instance.ok ? facts.instance.value : undefined;
  const checks = [
    instanceRunning(facts),
    agentPing(facts, now),
    endpointCheck(facts, "ssm"),
    endpointCheck(facts, "ssmmessages"),
    endpointCheck(facts, "ec2messages"),
    ...pathChecks(facts, instance),
    profileCheck(facts, needsEc2messages(agentVersionOf(facts))),
    vpcDns(facts, instance?.VpcId),
  ];
  return CHECK_NAMES.map((name) => checks.find((c) => c.name === name) as Check);
}

/** Whether the agent's traffic reaches Systems Manager and whether it may register there. */
export function agentPath(checks: Check[]): { reachable: boolean; permitted: boolean } {
  const ok = (name: CheckName) => checks.find((c) => c.name === name)?.status === "ok";
  return { reachable: NETWORK_CHECKS.every(ok), permitted: ok("instance-profile") };
}

/** What the open's plan will create: the endpoints' subnets and services. */
export interface PlannedEndpoints {
  subnetIds: string[];
  /** The services the stack creates (the VPC's own endpoints serve the others). */
  services: string[];
}

/** The id the checks' messages give the endpoints and group the stack has not created yet. */
export const PLANNED = "planned-endpoint";

/** The checks the stack does not decide: knowable before it exists, for the open's warnings. */
export const BEFORE_STACK_CHECKS: readonly CheckName[] = CHECK_NAMES.filter((name) => !name.startsWith("endpoint-"));

/**
 * The checks of an instance before its session's stack exists, as if the planned endpoints
 * (private DNS, in the plan's subnets) were there: the instance, its agent, the route, both
 * subnets' ACLs, its egress, its role and VPC DNS. What the stack's own group admits is the
 * endpoint-ingress check's, which needs the stack, so no planned group is made up here.
 */
export function checksBeforeStack(facts: ReadinessFacts, plan: PlannedEndpoints, now: Date): Check[] {
  const planned: VpcEndpoint[] = plan.services.map((service) => ({
    VpcEndpointId: PLANNED,
    VpcEndpointType: "Interface",
    ServiceName: `com.amazonaws.${facts.region}.${service}`,
    // EC2 answers lowercase states ("available"), whatever the SDK's enum spells.
    State: "available" as VpcEndpoint["State"],
    PrivateDnsEnabled: true,
    SubnetIds: plan.subnetIds,
    Groups: [{ GroupId: PLANNED }],
  }));
  const withPlan: ReadinessFacts = {
    ...facts,
    endpoints: facts.endpoints.ok ? { ok: true, value: [...facts.endpoints.value, ...planned] } : facts.endpoints,
  };
  return readinessChecks(withPlan, now).filter((c) => BEFORE_STACK_CHECKS.includes(c.name));
}
