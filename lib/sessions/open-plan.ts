import type { RouteTable, Subnet, Vpc } from "@aws-sdk/client-ec2";
import { type EndpointService, type ExtraService, shortServiceName } from "../core/endpoint-services.js";
import { InvalidRequestError, NotFoundError, PreconditionError } from "../core/errors.js";
import type { InstanceFacts, VpcFacts } from "../core/vpc-facts.js";
import { fixedNeeds, type ServiceNeeds } from "./open-needs.js";

export interface PlanInput {
  vpcId: string;
  region: string;
  instance?: InstanceFacts;
  subnetIds?: string[];
  sourceSecurityGroupIds?: string[];
  extras: ExtraService[];
  stackName: string;
  /** What the session needs and why (lib/sessions/open-needs.ts); without it the three core endpoints and the extras. */
  needs?: ServiceNeeds;
}

export interface TargetPlan {
  subnetIds: string[];
  sourceSecurityGroupIds: string[];
  sourceCidrs: string[];
  /** Endpoints to create: those asked for that the VPC does not already have. */
  services: EndpointService[];
  s3RouteTableIds: string[];
  /** Endpoints of these services that the VPC already has and ssm-knock did not make. */
  existing: { service: EndpointService; id: string }[];
  /** Problems of the plan that do not stop the stack; each says the fix. (What may stop the agent
   * is the readiness checks' to say: lib/readiness/open-warnings.ts.) */
  warnings: string[];
}

const LIVE_ENDPOINT_STATES = new Set(["pendingacceptance", "pending", "available"]);

/** Endpoints that already serve a service (private DNS on, for Interface ones) and that this session did not make. */
function foreignEndpoints(facts: VpcFacts, region: string, stackName: string) {
  const found = new Map<EndpointService, string>();
  for (const endpoint of facts.endpoints) {
    const service = shortServiceName(region, endpoint.ServiceName);
    const state = (endpoint.State ?? "").toLowerCase();
    // Ours only if this session's stack made it: another stage's session (also tagged managed)
    // serves the VPC like anyone else's endpoint, and a second one would conflict on private DNS.
    const ours = endpoint.Tags?.some((tag) => tag.Key === "aws:cloudformation:stack-name" && tag.Value === stackName);
    const usable = service === "s3" || endpoint.PrivateDnsEnabled === true;
    if (service && !ours && usable && LIVE_ENDPOINT_STATES.has(state) && endpoint.VpcEndpointId) {
      found.set(service, endpoint.VpcEndpointId);
    }
  }
  return found;
}

/** The route tables a Gateway endpoint must join so the chosen subnets reach S3. */
function routeTablesFor(subnetIds: string[], routeTables: RouteTable[]): string[] {
  const main = routeTables.find((table) => table.Associations?.some((a) => a.Main));
  const chosen = new Set<string>();
  for (const subnetId of subnetIds) {
    const table = routeTables.find((t) => t.Associations?.some((a) => a.SubnetId === subnetId)) ?? main;
    if (table?.RouteTableId) chosen.add(table.RouteTableId);
  }
  return [...chosen].sort();
}

/** Private DNS on the endpoints needs both VPC DNS attributes (the brief's creation failure). */
function assertDnsOn(vpcId: string, facts: VpcFacts): void {
  if (facts.dnsSupport && facts.dnsHostnames) return;
  const missing = [!facts.dnsSupport && "enableDnsSupport", !facts.dnsHostnames && "enableDnsHostnames"].filter(Boolean);
  const command = (attribute: string | false) =>
    `aws ec2 modify-vpc-attribute --vpc-id ${vpcId} --${attribute === "enableDnsSupport" ? "enable-dns-support" : "enable-dns-hostnames"} '{"Value":true}'`;
  throw new PreconditionError(
    "vpc_dns_disabled",
    `Private DNS on the endpoints needs enableDnsSupport and enableDnsHostnames on ${vpcId}; ${missing.join(" and ")} ` +
      `${missing.length > 1 ? "are" : "is"} off. Fix: ${missing.map(command).join(" && ")}`,
    "vpcId",
  );
}

/** The subnets asked for (or the instance's, or the VPC's first), each of the VPC, one per AZ. */
function chooseSubnets(input: PlanInput, facts: VpcFacts): string[] {
  const { vpcId } = input;
  const subnetsById = new Map(facts.subnets.map((subnet) => [subnet.SubnetId, subnet]));
  const subnetIds = input.subnetIds ?? (input.instance ? [input.instance.subnetId] : defaultSubnet(facts.subnets, vpcId));
  const zones = new Set<string>();
  for (const subnetId of subnetIds) {
    const subnet = subnetsById.get(subnetId);
    if (!subnet) {
      throw new PreconditionError(
        "subnet_not_in_vpc",
        `Subnet ${subnetId} is not a subnet of ${vpcId}; pick one of the VPC's subnets.`,
        "subnetIds",
      );
    }
    const zone = subnet.AvailabilityZone ?? subnetId;
    if (zones.has(zone)) {
      throw new InvalidRequestError(
        `subnetIds has two subnets in ${zone}; an endpoint takes one subnet per Availability Zone.`,
        "subnetIds",
      );
    }
    zones.add(zone);
  }
  return subnetIds;
}

/** Who may reach the endpoints: the groups asked for (each of the VPC), the instance's, or the VPC's CIDRs. */
function chooseSources(input: PlanInput, facts: VpcFacts & { vpc: Vpc }): { sourceSecurityGroupIds: string[]; sourceCidrs: string[] } {
  const sourceSecurityGroupIds = input.sourceSecurityGroupIds ?? input.instance?.securityGroupIds ?? [];
  for (const groupId of input.sourceSecurityGroupIds ?? []) {
    const group = facts.securityGroups.find((g) => g.GroupId === groupId);
    if (group?.VpcId !== input.vpcId) {
      throw new PreconditionError(
        "security_group_not_in_vpc",
        `Security group ${groupId} is not in ${input.vpcId}; give the groups of the instances that need access.`,
        "sourceSecurityGroupIds",
      );
    }
  }
  return { sourceSecurityGroupIds, sourceCidrs: sourceSecurityGroupIds.length ? [] : vpcCidrs(facts.vpc) };
}

/**
 * Checks a VPC against everything that would make the stack fail or be useless, and decides
 * what to create. Pure: each failure is a 4xx that names the fix, before anything exists.
 */
export function planTarget(input: PlanInput, facts: VpcFacts): TargetPlan {
  const { vpc } = facts;
  if (!vpc) throw new NotFoundError(`VPC ${input.vpcId} was not found in ${input.region}; check the id and the region.`, "vpcId");
  assertDnsOn(input.vpcId, facts);
  const subnetIds = chooseSubnets(input, facts);
  const sources = chooseSources(input, { ...facts, vpc });

  const needs = input.needs ?? fixedNeeds(input.extras);
  const existingByService = foreignEndpoints(facts, input.region, input.stackName);
  let services = needs.services.filter((service) => !existingByService.has(service));
  const existing = needs.services.flatMap((service) => {
    const id = existingByService.get(service);
    return id ? [{ service, id }] : [];
  });
  const warnings = [...needs.notes];
  const s3RouteTableIds = services.includes("s3") ? routeTablesFor(subnetIds, facts.routeTables) : [];
  if (services.includes("s3") && s3RouteTableIds.length === 0) {
    if (!needs.implied.includes("s3")) {
      throw new PreconditionError(
        "no_route_table",
        `${input.vpcId} has no route table for the S3 Gateway endpoint; drop "s3" from extras.`,
        "extras",
      );
    }
    services = services.filter((service) => service !== "s3");
    warnings.push(`s3: not created: ${input.vpcId} has no route table for the S3 Gateway endpoint the preferences need.`);
  }
  for (const service of services) if (needs.reasons[service]) warnings.push(`${service}: ${needs.reasons[service]}`);
  for (const { service, id } of existing) {
    if (needs.reasons[service]) warnings.push(`${service}: not created: the VPC's own endpoint ${id} already serves it.`);
  }
  return { subnetIds, ...sources, services, s3RouteTableIds, existing, warnings };
}

function defaultSubnet(subnets: Subnet[], vpcId: string): string[] {
  const sorted = subnets
    .filter((subnet) => subnet.SubnetId)
    .sort((a, b) => `${a.AvailabilityZone}${a.SubnetId}`.localeCompare(`${b.AvailabilityZone}${b.SubnetId}`));
  if (!sorted[0]?.SubnetId) {
    throw new PreconditionError("vpc_has_no_subnets", `${vpcId} has no subnets; create one for the endpoints.`, "vpcId");
  }
  return [sorted[0].SubnetId];
}

function vpcCidrs(vpc: Vpc): string[] {
  const associated = (vpc.CidrBlockAssociationSet ?? [])
    .filter((a) => a.CidrBlockState?.State === "associated" && a.CidrBlock)
    .map((a) => a.CidrBlock as string);
  const cidrs = associated.length ? associated : vpc.CidrBlock ? [vpc.CidrBlock] : [];
  return [...new Set(cidrs)].slice(0, 5);
}
