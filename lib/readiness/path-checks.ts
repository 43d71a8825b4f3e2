import type { NetworkAcl, SecurityGroup, VpcEndpoint } from "@aws-sdk/client-ec2";
import type { Check, CheckName, ReadinessFacts } from "../core/readiness-facts.js";
import {
  type AclVerdict,
  type AddressRange,
  aclVerdict,
  EPHEMERAL,
  formatRange,
  groupsAllow,
  HTTPS,
  type PortRange,
  parseCidr,
} from "./network.js";

// The checks of the path from the instance to its endpoints and back: the endpoints' groups,
// the routes, both subnets' network ACLs and the instance's groups. Pure, on ReadinessFacts.

/** What every path check needs, worked out once by checks.ts. */
export interface PathContext {
  facts: ReadinessFacts;
  instanceId: string;
  subnetId: string;
  /** The instance's private address as a one-address range. */
  address: AddressRange;
  groupIds: string[];
  /** The endpoints the agent would use, one per service it needs. */
  endpoints: VpcEndpoint[];
}

type Status = Check["status"];
const check = (name: CheckName, status: Status, message: string, fix: string | null = null): Check => ({ name, status, message, fix });
const unknownCheck = (name: CheckName, error: string): Check => check(name, "unknown", `Could not be read: ${error}.`);

const worst = (statuses: Status[]): Status => (["fail", "warn", "unknown", "ok"] as const).find((s) => statuses.includes(s)) ?? "ok";

const groupIdsOf = (endpoint: VpcEndpoint) => (endpoint.Groups ?? []).flatMap((g) => (g.GroupId ? [g.GroupId] : []));

/** The endpoints' subnets other than the instance's own (NACLs and routes apply between subnets). */
function otherSubnets(context: PathContext): { subnetId: string; range?: AddressRange }[] {
  const subnets = context.facts.subnets.ok ? context.facts.subnets.value : [];
  const ids = [...new Set(context.endpoints.flatMap((e) => e.SubnetIds ?? []))].filter((id) => id !== context.subnetId).sort();
  return ids.map((subnetId) => ({ subnetId, range: parseCidr(subnets.find((s) => s.SubnetId === subnetId)?.CidrBlock) }));
}

/** The endpoints' groups admit TCP 443 from the instance (by its groups or its address). */
export function endpointIngressCheck(context: PathContext): Check {
  const name = "endpoint-ingress";
  const { facts } = context;
  if (!facts.securityGroups.ok) return unknownCheck(name, facts.securityGroups.error);
  const groups = facts.securityGroups.value;
  const peer = { range: context.address, groupIds: context.groupIds };
  const refused: string[] = [];
  const unsure: string[] = [];
  for (const endpoint of context.endpoints) {
    const ids = groupIdsOf(endpoint);
    const found = groups.filter((g) => g.GroupId && ids.includes(g.GroupId));
    const verdict =
      found.length < ids.length
        ? "unknown"
        : groupsAllow(
            found.flatMap((g) => g.IpPermissions ?? []),
            443,
            peer,
          );
    if (verdict === "no") refused.push(`${endpoint.VpcEndpointId} (${ids.join(", ")})`);
    else if (verdict !== "yes") unsure.push(endpoint.VpcEndpointId ?? "?");
  }
  if (refused.length > 0) {
    return check(
      name,
      "fail",
      `The security groups of ${refused.join(", ")} do not admit TCP 443 from ${context.instanceId}.`,
      `Add an inbound rule for TCP 443 from ${context.groupIds[0] ?? formatRange(context.address)} to those groups.`,
    );
  }
  if (unsure.length > 0)
    return check(name, "unknown", `Could not tell whether ${unsure.join(", ")} admit TCP 443 (groups or prefix lists not readable).`);
  return check(name, "ok", `The endpoints' security groups admit TCP 443 from ${context.instanceId}.`);
}

/** The instance's groups let TCP 443 out to every subnet of every endpoint. */
export function instanceEgressCheck(context: PathContext): Check {
  const name = "instance-egress";
  const { facts } = context;
  if (!facts.securityGroups.ok) return unknownCheck(name, facts.securityGroups.error);
  if (!facts.subnets.ok) return unknownCheck(name, facts.subnets.error);
  const own = facts.securityGroups.value.filter((g: SecurityGroup) => g.GroupId && context.groupIds.includes(g.GroupId));
  if (own.length < context.groupIds.length) return check(name, "unknown", `Not every group of ${context.instanceId} could be read.`);
  const rules = own.flatMap((g) => g.IpPermissionsEgress ?? []);
  const statuses: Status[] = [];
  const blocked: string[] = [];
  for (const endpoint of context.endpoints) {
    for (const subnetId of endpoint.SubnetIds ?? []) {
      const range = parseCidr(facts.subnets.value.find((s) => s.SubnetId === subnetId)?.CidrBlock);
      if (!range) {
        statuses.push("unknown");
        continue;
      }
      const verdict = groupsAllow(rules, 443, { range, groupIds: groupIdsOf(endpoint) });
      statuses.push(verdict === "yes" ? "ok" : verdict === "partial" ? "warn" : verdict === "unknown" ? "unknown" : "fail");
      if (verdict !== "yes") blocked.push(`${endpoint.VpcEndpointId} in ${subnetId}`);
    }
  }
  const status = worst(statuses);
  if (status === "ok") return check(name, "ok", `The groups of ${context.instanceId} allow TCP 443 out to the endpoints.`);
  const groups = context.groupIds.join(", ");
  const detail =
    status === "warn"
      ? "allow TCP 443 out to only part of the subnets of"
      : status === "fail"
        ? "allow no TCP 443 out to"
        : "may not allow TCP 443 out to";
  return check(
    name,
    status,
    `The groups of ${context.instanceId} (${groups}) ${detail} ${blocked.join(", ")}.`,
    status === "unknown"
      ? null
      : `Add an outbound rule for TCP 443 to the endpoints' subnets or their security group on ${context.groupIds[0]}.`,
  );
}

function aclOf(facts: ReadinessFacts, subnetId: string): NetworkAcl | undefined {
  const acls = facts.networkAcls.ok ? facts.networkAcls.value : [];
  return acls.find((acl) => acl.Associations?.some((a) => a.SubnetId === subnetId)) ?? acls.find((acl) => acl.IsDefault);
}

interface Leg {
  egress: boolean;
  range: AddressRange;
  ports: PortRange;
  what: string;
}

const verdictStatus = (v: AclVerdict): Status => (v.verdict === "allow" ? "ok" : v.verdict === "deny" ? "fail" : "warn");
const ruleText = (rule: number | "default") => (rule === "default" ? "the default rule (*)" : `rule ${rule}`);

function aclCheck(name: CheckName, acl: NetworkAcl | undefined, subnetId: string, legs: Leg[]): Check {
  if (!acl) return check(name, "unknown", `No network ACL is known for ${subnetId}.`);
  const problems: string[] = [];
  const statuses = legs.map((leg) => {
    const verdict = aclVerdict(acl.Entries ?? [], leg.egress, leg.range, leg.ports);
    if (verdict.verdict === "deny") problems.push(`${leg.what} is denied by ${ruleText(verdict.ruleNumber)}`);
    if (verdict.verdict === "mixed") problems.push(`${leg.what} is partly denied (${verdict.deniedBy.map(ruleText).join(", ")})`);
    return verdictStatus(verdict);
  });
  const status = worst(statuses);
  if (status === "ok") return check(name, "ok", `${acl.NetworkAclId} of ${subnetId} allows ${legs.map((l) => l.what).join(" and ")}.`);
  return check(
    name,
    status,
    `${acl.NetworkAclId} of ${subnetId}: ${problems.join("; ")}.`,
    `Add allow rules to ${acl.NetworkAclId} for ${legs.map((l) => l.what).join(" and ")}, numbered below any deny rule that matches.`,
  );
}

function combine(name: CheckName, checks: Check[], sameSubnet: string): Check {
  if (checks.length === 0) return check(name, "ok", sameSubnet);
  const status = worst(checks.map((c) => c.status));
  const chosen = checks.filter((c) => c.status === status);
  return check(name, status, chosen.map((c) => c.message).join(" "), chosen[0].fix);
}

/** The instance subnet's ACL: 443 out to the endpoints' subnets, and the replies back in. */
export function instanceSubnetAclCheck(context: PathContext): Check {
  const name = "nacl-instance-subnet";
  if (!context.facts.networkAcls.ok) return unknownCheck(name, context.facts.networkAcls.error);
  const acl = aclOf(context.facts, context.subnetId);
  const checks = otherSubnets(context).map(({ subnetId, range }) =>
    range
      ? aclCheck(name, acl, context.subnetId, [
          { egress: true, range, ports: HTTPS, what: `TCP 443 out to ${subnetId}` },
          { egress: false, range, ports: EPHEMERAL, what: `TCP 1024-65535 in from ${subnetId}` },
        ])
      : check(name, "unknown", `The address range of ${subnetId} is not known.`),
  );
  return combine(name, checks, "The endpoints share the instance's subnet; network ACLs do not filter traffic inside a subnet.");
}

/** Each endpoint subnet's ACL: 443 in from the instance, and the replies back out. */
export function endpointSubnetAclCheck(context: PathContext): Check {
  const name = "nacl-endpoint-subnets";
  if (!context.facts.networkAcls.ok) return unknownCheck(name, context.facts.networkAcls.error);
  const address = formatRange(context.address);
  const checks = otherSubnets(context).map(({ subnetId }) =>
    aclCheck(name, aclOf(context.facts, subnetId), subnetId, [
      { egress: false, range: context.address, ports: HTTPS, what: `TCP 443 in from ${address}` },
      { egress: true, range: context.address, ports: EPHEMERAL, what: `TCP 1024-65535 out to ${address}` },
    ]),
  );
  return combine(name, checks, "The endpoints share the instance's subnet; network ACLs do not filter traffic inside a subnet.");
}

/**
 * The instance subnet's route table keeps traffic to the endpoints on the VPC's local route: a
 * more specific route (middlebox routing) sends it elsewhere, a blackhole drops it.
 */
export function routeCheck(context: PathContext): Check {
  const name = "route-to-endpoints";
  const { facts } = context;
  if (!facts.routeTables.ok) return unknownCheck(name, facts.routeTables.error);
  const tables = facts.routeTables.value;
  const table =
    tables.find((t) => t.Associations?.some((a) => a.SubnetId === context.subnetId)) ??
    tables.find((t) => t.Associations?.some((a) => a.Main));
  if (!table) return check(name, "unknown", `No route table is known for ${context.subnetId}.`);
  const local = (table.Routes ?? []).filter((r) => r.GatewayId === "local").map((r) => parseCidr(r.DestinationCidrBlock));
  const localSize = Math.min(...local.map((r) => (r ? r.last - r.first : Number.POSITIVE_INFINITY)));
  const diverted: string[] = [];
  let blackhole = false;
  for (const { subnetId, range } of otherSubnets(context)) {
    for (const route of table.Routes ?? []) {
      const destination = parseCidr(route.DestinationCidrBlock);
      if (!range || !destination || route.GatewayId === "local") continue;
      const overlaps = destination.first <= range.last && range.first <= destination.last;
      if (!overlaps || destination.last - destination.first >= localSize) continue;
      blackhole ||= route.State === "blackhole";
      const target = route.NetworkInterfaceId ?? route.GatewayId ?? route.TransitGatewayId ?? route.NatGatewayId ?? "another target";
      diverted.push(`${route.DestinationCidrBlock} (${subnetId}) goes to ${target}${route.State === "blackhole" ? " (blackhole)" : ""}`);
    }
  }
  if (diverted.length === 0) return check(name, "ok", `${table.RouteTableId} reaches the endpoints over the VPC's local route.`);
  return check(
    name,
    blackhole ? "fail" : "warn",
    `In ${table.RouteTableId}, traffic to the endpoints leaves the local route: ${diverted.join("; ")}.`,
    `Make sure the route's target forwards TCP 443 to the endpoints, or remove the route from ${table.RouteTableId}.`,
  );
}
