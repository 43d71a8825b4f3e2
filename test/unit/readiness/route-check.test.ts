import type { Route, RouteTable } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { known } from "../../../lib/core/readiness-facts.js";
import { facts, run } from "../../support/readiness-facts.js";

// route-to-endpoints (lib/readiness/path-checks.ts routeCheck) in detail: which table, which
// routes divert the traffic to the endpoints (subnet-b, 10.0.2.0/24) and the words for each.

const LOCAL: Route = { DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local" };
const table = (id: string, associations: RouteTable["Associations"], ...routes: Route[]): RouteTable => ({
  RouteTableId: id,
  Associations: associations,
  Routes: [LOCAL, ...routes],
});
const main = (...routes: Route[]) => table("rtb-main", [{ Main: true }], ...routes);
const said = (...tables: RouteTable[]) => {
  const { status, message, fix } = run(facts({ routeTables: known(tables) }))["route-to-endpoints"];
  return [status, message, fix];
};
const leaves = (id: string, what: string) => `In ${id}, traffic to the endpoints leaves the local route: ${what}.`;
const fixFor = (id: string) => `Make sure the route's target forwards TCP 443 to the endpoints, or remove the route from ${id}.`;
const OK = ["ok", "rtb-main reaches the endpoints over the VPC's local route.", null];

describe("route-to-endpoints", () => {
  it("names the table, the route, its target and its fix", () => {
    expect(said(main())).toEqual(OK);
    const active = { DestinationCidrBlock: "10.0.2.0/24", NetworkInterfaceId: "eni-fw", State: "active" as const };
    expect(said(main(active))).toEqual(["warn", leaves("rtb-main", "10.0.2.0/24 (subnet-b) goes to eni-fw"), fixFor("rtb-main")]);
    const gone = { DestinationCidrBlock: "10.0.2.0/24", NetworkInterfaceId: "eni-gone", State: "blackhole" as const };
    expect(said(main(gone))).toEqual([
      "fail",
      leaves("rtb-main", "10.0.2.0/24 (subnet-b) goes to eni-gone (blackhole)"),
      fixFor("rtb-main"),
    ]);
  });

  it.each([
    [{ NetworkInterfaceId: "eni-fw", GatewayId: "vgw-1" }, "eni-fw"],
    [{ GatewayId: "vgw-1", TransitGatewayId: "tgw-1" }, "vgw-1"],
    [{ TransitGatewayId: "tgw-1", NatGatewayId: "nat-1" }, "tgw-1"],
    [{ NatGatewayId: "nat-1" }, "nat-1"],
    [{}, "another target"],
  ])("names the target of %j as %s", (target, named) => {
    expect(said(main({ DestinationCidrBlock: "10.0.2.0/25", ...target }))[1]).toBe(
      leaves("rtb-main", `10.0.2.0/25 (subnet-b) goes to ${named}`),
    );
  });

  it("counts a route touching the endpoints' subnet at either end, and not one beside it", () => {
    const to = (cidr: string) => ({ DestinationCidrBlock: cidr, NetworkInterfaceId: "eni-fw" });
    expect(said(main(to("10.0.2.0/32")))[1]).toBe(leaves("rtb-main", "10.0.2.0/32 (subnet-b) goes to eni-fw"));
    expect(said(main(to("10.0.2.255/32")))[1]).toBe(leaves("rtb-main", "10.0.2.255/32 (subnet-b) goes to eni-fw"));
    expect(said(main(to("10.0.3.0/24"), to("10.0.1.255/32")))).toEqual(OK);
  });

  it("names every route that diverts the traffic", () => {
    const halves = ["10.0.2.0/25", "10.0.2.128/25"].map((cidr) => ({ DestinationCidrBlock: cidr, NetworkInterfaceId: "eni-fw" }));
    expect(said(main(...halves))[1]).toBe(
      leaves("rtb-main", "10.0.2.0/25 (subnet-b) goes to eni-fw; 10.0.2.128/25 (subnet-b) goes to eni-fw"),
    );
  });

  it("ignores routes as wide as the narrowest local route, or wider", () => {
    expect(said(main({ DestinationCidrBlock: "10.0.0.0/16", NetworkInterfaceId: "eni-fw" }))).toEqual(OK);
    const secondary = { DestinationCidrBlock: "100.64.0.0/10", GatewayId: "local" };
    expect(said(main(secondary, { DestinationCidrBlock: "10.0.0.0/12", NetworkInterfaceId: "eni-fw" }))).toEqual(OK);
  });

  it("reads the table associated with the subnet, or the main one, whatever else each is associated with", () => {
    const own = table("rtb-own", [{ SubnetId: "subnet-z" }, { SubnetId: "subnet-a" }], {
      DestinationCidrBlock: "10.0.2.0/24",
      NetworkInterfaceId: "eni-fw",
    });
    expect(said(main(), own)[1]).toBe(leaves("rtb-own", "10.0.2.0/24 (subnet-b) goes to eni-fw"));
    const shared = table("rtb-main", [{ SubnetId: "subnet-z" }, { Main: true }]);
    expect(said(shared)).toEqual(OK);
  });
});
