import type { RouteTable } from "@aws-sdk/client-ec2";
import type { InstanceFacts, VpcFacts } from "../core/vpc-facts.js";

// Does the instance reach Systems Manager without any endpoint? Its subnet's default route goes
// to a NAT gateway, or to an internet gateway and the instance has a public IPv4 address: then
// its agent already gets out, and endpoints would only cost money (issue 16). Pure.

export interface DirectRoute {
  via: "nat-gateway" | "internet-gateway";
  /** The NAT gateway's or internet gateway's id. */
  gatewayId: string;
  routeTableId: string;
}

/** The route table a subnet uses: its own association, else the VPC's main table. */
export function routeTableOf(subnetId: string, routeTables: RouteTable[]): RouteTable | undefined {
  return (
    routeTables.find((table) => table.Associations?.some((a) => a.SubnetId === subnetId)) ??
    routeTables.find((table) => table.Associations?.some((a) => a.Main))
  );
}

/**
 * The instance's way out to Systems Manager's public endpoints, or undefined when it has none
 * (then the session needs endpoints). A NAT gateway counts when it is available and public (a
 * private NAT gateway reaches other networks, not the internet); a blackhole route never counts.
 */
export function directRouteOf(instance: InstanceFacts, facts: Pick<VpcFacts, "routeTables" | "natGateways">): DirectRoute | undefined {
  const table = routeTableOf(instance.subnetId, facts.routeTables);
  const route = table?.Routes?.find((r) => r.DestinationCidrBlock === "0.0.0.0/0" && (r.State ?? "active") === "active");
  if (!table?.RouteTableId || !route) return undefined;
  if (route.NatGatewayId) {
    const nat = facts.natGateways.find((gateway) => gateway.NatGatewayId === route.NatGatewayId);
    const usable = nat?.State === "available" && (nat.ConnectivityType ?? "public") === "public";
    return usable ? { via: "nat-gateway", gatewayId: route.NatGatewayId, routeTableId: table.RouteTableId } : undefined;
  }
  if (route.GatewayId?.startsWith("igw-") && instance.publicIp) {
    return { via: "internet-gateway", gatewayId: route.GatewayId, routeTableId: table.RouteTableId };
  }
  return undefined;
}
