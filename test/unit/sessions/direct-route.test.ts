import type { NatGateway, RouteTable } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import type { InstanceFacts } from "../../../lib/core/vpc-facts.js";
import { directRouteOf } from "../../../lib/sessions/direct-route.js";

const instance = (overrides: Partial<InstanceFacts> = {}): InstanceFacts => ({
  id: "i-0123456789abcdef0",
  vpcId: "vpc-1",
  subnetId: "subnet-app",
  securityGroupIds: [],
  tags: {},
  ...overrides,
});
const local = { DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local", State: "active" as const };
const table = (id: string, routes: RouteTable["Routes"], association: { SubnetId?: string; Main?: boolean }): RouteTable => ({
  RouteTableId: id,
  Routes: [local, ...(routes ?? [])],
  Associations: [association],
});
const nat = (overrides: Partial<NatGateway> = {}): NatGateway => ({ NatGatewayId: "nat-1", State: "available", ...overrides });

describe("directRouteOf", () => {
  it("finds the subnet's default route to an available public NAT gateway", () => {
    const routeTables = [
      table("rtb-app", [{ DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: "nat-1", State: "active" }], { SubnetId: "subnet-app" }),
    ];
    expect(directRouteOf(instance(), { routeTables, natGateways: [nat()] })).toEqual({
      via: "nat-gateway",
      gatewayId: "nat-1",
      routeTableId: "rtb-app",
    });
    for (const gateway of [nat({ State: "deleted" }), nat({ ConnectivityType: "private" }), nat({ NatGatewayId: "nat-other" })]) {
      expect(directRouteOf(instance(), { routeTables, natGateways: [gateway] })).toBeUndefined();
    }
  });

  it("uses the main table for a subnet without its own, and never a blackhole route", () => {
    const main = table("rtb-main", [{ DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: "nat-1", State: "active" }], { Main: true });
    expect(directRouteOf(instance(), { routeTables: [main], natGateways: [nat()] })?.routeTableId).toBe("rtb-main");
    const blackhole = table("rtb-app", [{ DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: "nat-1", State: "blackhole" }], {
      SubnetId: "subnet-app",
    });
    expect(directRouteOf(instance(), { routeTables: [blackhole, main], natGateways: [nat()] })).toBeUndefined();
  });

  it("prefers the subnet's own table, shared with other subnets, over the main table, wherever they are listed", () => {
    const toNat = [{ DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: "nat-1", State: "active" as const }];
    const main = table("rtb-main", toNat, { Main: true });
    const other = table("rtb-other", toNat, { SubnetId: "subnet-other" });
    const shared = {
      ...table("rtb-app", toNat, { SubnetId: "subnet-other-2" }),
      Associations: [{ SubnetId: "subnet-other-2" }, { SubnetId: "subnet-app" }],
    };
    expect(directRouteOf(instance(), { routeTables: [main, other, shared], natGateways: [nat()] })?.routeTableId).toBe("rtb-app");
  });

  it("uses the main table for a subnet without its own even when other subnets are associated with it", () => {
    const main = {
      ...table("rtb-main", [{ DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: "nat-1", State: "active" }], { Main: true }),
      Associations: [{ SubnetId: "subnet-db" }, { Main: true }],
    };
    expect(directRouteOf(instance(), { routeTables: [main], natGateways: [nat()] })?.routeTableId).toBe("rtb-main");
  });

  it("takes a default route without a state as active", () => {
    const routeTables = [table("rtb-app", [{ DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: "nat-1" }], { SubnetId: "subnet-app" })];
    expect(directRouteOf(instance(), { routeTables, natGateways: [nat()] })?.via).toBe("nat-gateway");
  });

  it("counts an internet gateway only for an instance with a public IPv4 address", () => {
    const routeTables = [
      table("rtb-pub", [{ DestinationCidrBlock: "0.0.0.0/0", GatewayId: "igw-1", State: "active" }], { SubnetId: "subnet-app" }),
    ];
    expect(directRouteOf(instance({ publicIp: "203.0.113.7" }), { routeTables, natGateways: [] })).toEqual({
      via: "internet-gateway",
      gatewayId: "igw-1",
      routeTableId: "rtb-pub",
    });
    expect(directRouteOf(instance(), { routeTables, natGateways: [] })).toBeUndefined();
  });

  it("does not count a default route to a virtual private gateway, even with a public IPv4 address", () => {
    const routeTables = [
      table("rtb-vpn", [{ DestinationCidrBlock: "0.0.0.0/0", GatewayId: "vgw-1", State: "active" }], { SubnetId: "subnet-app" }),
    ];
    expect(directRouteOf(instance({ publicIp: "203.0.113.7" }), { routeTables, natGateways: [] })).toBeUndefined();
  });

  it("finds nothing in a private subnet (local routes only), nor for a route to something else", () => {
    expect(directRouteOf(instance(), { routeTables: [table("rtb-app", [], { SubnetId: "subnet-app" })], natGateways: [] })).toBeUndefined();
    const peering = table("rtb-app", [{ DestinationCidrBlock: "0.0.0.0/0", VpcPeeringConnectionId: "pcx-1", State: "active" }], {
      SubnetId: "subnet-app",
    });
    expect(directRouteOf(instance({ publicIp: "203.0.113.7" }), { routeTables: [peering], natGateways: [] })).toBeUndefined();
  });
});
