import type { Stack } from "@aws-sdk/client-cloudformation";
import {
  DescribeInstancesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  type EC2Client,
  type RouteTable,
  type SecurityGroup,
  type Subnet,
  type Vpc,
  type VpcEndpoint,
} from "@aws-sdk/client-ec2";
import type { RegionClients } from "../aws/clients.js";
import { awsErrorName } from "../aws/errors.js";
import { findStack, TAG } from "../aws/stacks.js";
import { CORE_SERVICES, type EndpointService, type ExtraService, shortServiceName } from "../core/endpoint-services.js";
import { InvalidRequestError, NotFoundError, PreconditionError } from "../core/errors.js";

export interface InstanceFacts {
  id: string;
  vpcId: string;
  subnetId: string;
  availabilityZone?: string;
  securityGroupIds: string[];
  state?: string;
}

/** Everything the open preflight needs to know about a VPC, gathered in one concurrent round. */
export interface VpcFacts {
  vpc?: Vpc;
  dnsSupport: boolean;
  dnsHostnames: boolean;
  subnets: Subnet[];
  endpoints: VpcEndpoint[];
  routeTables: RouteTable[];
  securityGroups: SecurityGroup[];
  stack?: Stack;
}

export async function describeInstance(ec2: EC2Client, instanceId: string): Promise<InstanceFacts> {
  try {
    const { Reservations } = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const instance = Reservations?.flatMap((r) => r.Instances ?? [])[0];
    if (instance?.VpcId && instance.SubnetId) {
      return {
        id: instanceId,
        vpcId: instance.VpcId,
        subnetId: instance.SubnetId,
        availabilityZone: instance.Placement?.AvailabilityZone,
        securityGroupIds: (instance.SecurityGroups ?? []).flatMap((g) => (g.GroupId ? [g.GroupId] : [])),
        state: instance.State?.Name,
      };
    }
    if (instance) {
      throw new PreconditionError("instance_not_in_vpc", `Instance ${instanceId} is not in a VPC (it may be terminated).`, "instanceId");
    }
  } catch (error) {
    if (!awsErrorName(error).startsWith("InvalidInstanceID")) throw error;
  }
  throw new NotFoundError(`Instance ${instanceId} was not found in this region; check the id and the region.`, "instanceId");
}

async function vpcExists(ec2: EC2Client, vpcId: string): Promise<Vpc | undefined> {
  try {
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
    return Vpcs?.[0];
  } catch (error) {
    if (awsErrorName(error).startsWith("InvalidVpcID")) return undefined;
    throw error;
  }
}

async function vpcAttribute(ec2: EC2Client, vpcId: string, attribute: "enableDnsSupport" | "enableDnsHostnames") {
  try {
    const output = await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: attribute }));
    return (attribute === "enableDnsSupport" ? output.EnableDnsSupport : output.EnableDnsHostnames)?.Value === true;
  } catch (error) {
    if (awsErrorName(error).startsWith("InvalidVpcID")) return false;
    throw error;
  }
}

const byVpc = (vpcId: string) => [{ Name: "vpc-id", Values: [vpcId] }];

/** One concurrent round of look-ups: an open costs a single round trip's latency for all of them. */
export async function gatherVpcFacts(
  clients: RegionClients,
  vpcId: string,
  stackName: string,
  options: { securityGroupIds?: string[]; wantRouteTables: boolean },
): Promise<VpcFacts> {
  const { ec2 } = clients;
  const [vpc, dnsSupport, dnsHostnames, subnets, endpoints, routeTables, securityGroups, stack] = await Promise.all([
    vpcExists(ec2, vpcId),
    vpcAttribute(ec2, vpcId, "enableDnsSupport"),
    vpcAttribute(ec2, vpcId, "enableDnsHostnames"),
    ec2.send(new DescribeSubnetsCommand({ Filters: byVpc(vpcId) })).then((o) => o.Subnets ?? []),
    ec2.send(new DescribeVpcEndpointsCommand({ Filters: byVpc(vpcId) })).then((o) => o.VpcEndpoints ?? []),
    options.wantRouteTables
      ? ec2.send(new DescribeRouteTablesCommand({ Filters: byVpc(vpcId) })).then((o) => o.RouteTables ?? [])
      : Promise.resolve([]),
    options.securityGroupIds?.length
      ? ec2
          .send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-id", Values: options.securityGroupIds }] }))
          .then((o) => o.SecurityGroups ?? [])
      : Promise.resolve([]),
    findStack(clients.cloudFormation, stackName),
  ]);
  return { vpc, dnsSupport, dnsHostnames, subnets, endpoints, routeTables, securityGroups, stack };
}

export interface PlanInput {
  vpcId: string;
  region: string;
  instance?: InstanceFacts;
  subnetIds?: string[];
  sourceSecurityGroupIds?: string[];
  extras: ExtraService[];
  stackName: string;
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
  /** Problems that do not stop the stack but may stop Session Manager; each says the fix. */
  warnings: string[];
}

const LIVE_ENDPOINT_STATES = new Set(["pendingacceptance", "pending", "available"]);

/** Endpoints someone else made that already serve a service (private DNS on, for Interface ones). */
function foreignEndpoints(facts: VpcFacts, region: string, stackName: string) {
  const found = new Map<EndpointService, string>();
  for (const endpoint of facts.endpoints) {
    const service = shortServiceName(region, endpoint.ServiceName);
    const state = (endpoint.State ?? "").toLowerCase();
    const ours = endpoint.Tags?.some(
      (tag) => tag.Key === TAG.managed || (tag.Key === "aws:cloudformation:stack-name" && tag.Value === stackName),
    );
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

/**
 * Checks a VPC against everything that would make the stack fail or be useless, and decides
 * what to create. Pure: each failure is a 4xx that names the fix, before anything exists.
 */
export function planTarget(input: PlanInput, facts: VpcFacts): TargetPlan {
  const { vpcId } = input;
  if (!facts.vpc) {
    throw new NotFoundError(`VPC ${vpcId} was not found in ${input.region}; check the id and the region.`, "vpcId");
  }
  if (!facts.dnsSupport || !facts.dnsHostnames) {
    const missing = [!facts.dnsSupport && "enableDnsSupport", !facts.dnsHostnames && "enableDnsHostnames"].filter(Boolean);
    throw new PreconditionError(
      "vpc_dns_disabled",
      `Private DNS on the endpoints needs enableDnsSupport and enableDnsHostnames on ${vpcId}; ${missing.join(" and ")} ` +
        `${missing.length > 1 ? "are" : "is"} off. Fix: ${missing
          .map(
            (attribute) =>
              `aws ec2 modify-vpc-attribute --vpc-id ${vpcId} --${attribute === "enableDnsSupport" ? "enable-dns-support" : "enable-dns-hostnames"} '{"Value":true}'`,
          )
          .join(" && ")}`,
      "vpcId",
    );
  }

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

  const sourceSecurityGroupIds = input.sourceSecurityGroupIds ?? input.instance?.securityGroupIds ?? [];
  for (const groupId of input.sourceSecurityGroupIds ?? []) {
    const group = facts.securityGroups.find((g) => g.GroupId === groupId);
    if (group?.VpcId !== vpcId) {
      throw new PreconditionError(
        "security_group_not_in_vpc",
        `Security group ${groupId} is not in ${vpcId}; give the groups of the instances that need access.`,
        "sourceSecurityGroupIds",
      );
    }
  }
  const sourceCidrs = sourceSecurityGroupIds.length ? [] : vpcCidrs(facts.vpc);

  const existingByService = foreignEndpoints(facts, input.region, input.stackName);
  const wanted: EndpointService[] = [...CORE_SERVICES, ...input.extras];
  const services = wanted.filter((service) => !existingByService.has(service));
  const existing = wanted.flatMap((service) => {
    const id = existingByService.get(service);
    return id ? [{ service, id }] : [];
  });
  const s3RouteTableIds = services.includes("s3") ? routeTablesFor(subnetIds, facts.routeTables) : [];
  if (services.includes("s3") && s3RouteTableIds.length === 0) {
    throw new PreconditionError(
      "no_route_table",
      `${vpcId} has no route table for the S3 Gateway endpoint; drop "s3" from extras.`,
      "extras",
    );
  }
  return {
    subnetIds,
    sourceSecurityGroupIds,
    sourceCidrs,
    services,
    s3RouteTableIds,
    existing,
    warnings: httpsEgressWarnings(input.instance, facts),
  };
}

const allowsHttpsOut = (group: SecurityGroup) =>
  (group.IpPermissionsEgress ?? []).some(
    (rule) => rule.IpProtocol === "-1" || (rule.IpProtocol === "tcp" && (rule.FromPort ?? 0) <= 443 && 443 <= (rule.ToPort ?? 65535)),
  );

/** The brief's pitfall: an instance whose groups allow no outbound HTTPS never reaches SSM. */
function httpsEgressWarnings(instance: InstanceFacts | undefined, facts: VpcFacts): string[] {
  if (!instance) return [];
  const groups = facts.securityGroups.filter((group) => instance.securityGroupIds.includes(group.GroupId ?? ""));
  if (groups.length === 0 || groups.some(allowsHttpsOut)) return [];
  return [
    `None of ${instance.id}'s security groups (${instance.securityGroupIds.join(", ")}) allows outbound TCP 443, so its SSM Agent cannot reach the endpoints; add an egress rule for HTTPS.`,
  ];
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
