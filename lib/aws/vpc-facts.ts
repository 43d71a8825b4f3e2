import {
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  type EC2Client,
  paginateDescribeNatGateways,
  paginateDescribeRouteTables,
  type Vpc,
} from "@aws-sdk/client-ec2";
import { shortServiceName } from "../core/endpoint-services.js";
import { NotFoundError, PreconditionError } from "../core/errors.js";
import type { EndpointView } from "../core/session.js";
import type { InstanceFacts, VpcFacts } from "../core/vpc-facts.js";
import { awsErrorName } from "./errors.js";

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
        publicIp: instance.PublicIpAddress,
        tags: Object.fromEntries((instance.Tags ?? []).flatMap((tag) => (tag.Key ? [[tag.Key, tag.Value ?? ""]] : []))),
      };
    }
    if (instance) {
      throw new PreconditionError("instance_not_in_vpc", `Instance ${instanceId} is not in a VPC (it may be terminated).`, "instanceId");
    }
  } catch (error) {
    if (!awsErrorName(error).startsWith("InvalidInstanceID")) throw error;
    throw new NotFoundError(`Instance ${instanceId} was not found in this region; check the id and the region.`, "instanceId", {
      cause: error,
    });
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

async function all<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const found: T[] = [];
  for await (const page of pages) found.push(...(items(page) ?? []));
  return found;
}

/**
 * One concurrent round of look-ups: an open costs a single round trip's latency for all of them.
 * Route tables are always read (the S3 Gateway endpoint, asked for or implied by the preferences,
 * joins them; a named instance's subnet may route to a NAT gateway), NAT gateways when asked.
 */
export async function gatherVpcFacts(
  ec2: EC2Client,
  vpcId: string,
  options: { securityGroupIds?: string[]; wantNatGateways: boolean },
): Promise<VpcFacts> {
  const client = { client: ec2 };
  const Filters = byVpc(vpcId);
  const [vpc, dnsSupport, dnsHostnames, subnets, endpoints, routeTables, securityGroups, natGateways] = await Promise.all([
    vpcExists(ec2, vpcId),
    vpcAttribute(ec2, vpcId, "enableDnsSupport"),
    vpcAttribute(ec2, vpcId, "enableDnsHostnames"),
    ec2.send(new DescribeSubnetsCommand({ Filters: byVpc(vpcId) })).then((o) => o.Subnets ?? []),
    ec2.send(new DescribeVpcEndpointsCommand({ Filters: byVpc(vpcId) })).then((o) => o.VpcEndpoints ?? []),
    all(paginateDescribeRouteTables(client, { Filters }), (page) => page.RouteTables),
    options.securityGroupIds?.length
      ? ec2
          .send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-id", Values: options.securityGroupIds }] }))
          .then((o) => o.SecurityGroups ?? [])
      : Promise.resolve([]),
    options.wantNatGateways
      ? all(paginateDescribeNatGateways(client, { Filter: Filters }), (page) => page.NatGateways)
      : Promise.resolve([]),
  ]);
  return { vpc, dnsSupport, dnsHostnames, subnets, endpoints, routeTables, securityGroups, natGateways };
}

/**
 * The live states of a stack's endpoints, read from EC2 (the stack tags what it creates). By the
 * stack's id when known: a VPC opened again reuses the stack name, and EC2 still lists the
 * endpoints of the closed stack for a while (state deleted).
 */
export async function endpointsOfStack(
  ec2: EC2Client,
  region: string,
  vpcId: string,
  stack: { name: string; id?: string },
): Promise<EndpointView[]> {
  const { VpcEndpoints } = await ec2.send(
    new DescribeVpcEndpointsCommand({
      Filters: [
        { Name: "vpc-id", Values: [vpcId] },
        stack.id
          ? { Name: "tag:aws:cloudformation:stack-id", Values: [stack.id] }
          : { Name: "tag:aws:cloudformation:stack-name", Values: [stack.name] },
      ],
    }),
  );
  return (VpcEndpoints ?? []).flatMap((endpoint) => {
    const service = shortServiceName(region, endpoint.ServiceName);
    return service ? [{ service, id: endpoint.VpcEndpointId ?? null, state: (endpoint.State ?? "unknown").toLowerCase() }] : [];
  });
}
