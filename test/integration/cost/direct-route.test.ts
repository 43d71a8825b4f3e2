import { EC2Client } from "@aws-sdk/client-ec2";
import { beforeEach, describe, expect, it } from "vitest";
import { type DemoWorld, seedWorld } from "../../../local/seed.js";
import { publicInstance, routeThroughNat } from "../../../local/seed-egress.js";
import { api } from "../../support/api.js";
import { sessionManagerEndpoints } from "../../support/endpoints.js";
import { testDeps } from "../../support/harness.js";
import { inspector } from "../../support/inspect.js";

// An instance that reaches Systems Manager without endpoints gets none (issue 16), against moto:
//   - its subnet's default route goes to a NAT gateway: 200 alreadyReachable via nat-gateway, nothing created;
//   - "force": true creates the endpoints all the same;
//   - an internet gateway counts only for an instance with a public IPv4 address;
//   - a VPC whose own endpoints serve Session Manager: alreadyReachable via endpoints.

const ec2 = new EC2Client({ region: "us-east-1" });
const look = inspector();
let world: DemoWorld;

beforeEach(async () => {
  world = await seedWorld(ec2, { region: "us-east-1" });
});

describe("an instance that reaches Systems Manager already", () => {
  it("gets nothing when its subnet routes 0.0.0.0/0 to a NAT gateway, and endpoints when the request forces them", async () => {
    const { natGatewayId, routeTableId } = await routeThroughNat(ec2, world);
    const service = api(testDeps());
    const reachable = await service.open({ instanceId: world.instanceIds[0], ttl: "2h" });
    expect(reachable).toEqual({
      status: 200,
      body: {
        alreadyReachable: true,
        via: "nat-gateway",
        vpcId: world.vpcId,
        accountId: "123456789012",
        region: "us-east-1",
        endpoints: [],
        instanceId: world.instanceIds[0],
        gatewayId: natGatewayId,
        routeTableId,
      },
    });
    expect(await look.nothingCreated(world.vpcId)).toEqual({ stacks: [], schedules: [], endpoints: [] });

    const forced = await service.open({ instanceId: world.instanceIds[0], ttl: "2h", force: true });
    expect(forced.status).toBe(202);
    expect((await look.endpoints(world.vpcId)).map((e) => e.ServiceName?.split(".").pop()).sort()).toEqual([
      "ec2messages",
      "ssm",
      "ssmmessages",
    ]);
  });

  it("gets nothing behind an internet gateway with a public IPv4 address, and endpoints without one", async () => {
    const { igw, routeTableId, instanceId, publicIp } = await publicInstance(ec2, world);
    expect(publicIp).toBeTruthy();
    const service = api(testDeps());
    const reachable = await service.open({ instanceId });
    expect(reachable.status).toBe(200);
    expect(reachable.body).toMatchObject({ alreadyReachable: true, via: "internet-gateway", gatewayId: igw, routeTableId, instanceId });
    expect(await look.nothingCreated(world.vpcId)).toEqual({ stacks: [], schedules: [], endpoints: [] });

    // The seeded instances share the subnet but have no public address: their agents cannot get out.
    const opened = await service.open({ instanceId: world.instanceIds[0] });
    expect(opened.status).toBe(202);
  });

  it("still gets endpoints in a NAT-routed VPC when no instance is named (nobody's route is known)", async () => {
    await routeThroughNat(ec2, world);
    expect((await api(testDeps()).open({ vpcId: world.vpcId })).status).toBe(202);
  });

  it("answers alreadyReachable via endpoints when the VPC's own endpoints serve Session Manager", async () => {
    const ids = Object.values(await sessionManagerEndpoints(ec2, world, "us-east-1"));
    const reply = await api(testDeps()).open({ instanceId: world.instanceIds[0] });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ alreadyReachable: true, via: "endpoints", vpcId: world.vpcId });
    expect(reply.body.endpoints.map((e: { id: string }) => e.id).sort()).toEqual([...ids].sort());
  });

  it("refuses a force that is not a boolean, naming the field", async () => {
    const reply = await api(testDeps()).open({ instanceId: world.instanceIds[0], force: "yes" });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ code: "invalid_request", field: "force" });
    expect(await look.nothingCreated(world.vpcId)).toEqual({ stacks: [], schedules: [], endpoints: [] });
  });
});
