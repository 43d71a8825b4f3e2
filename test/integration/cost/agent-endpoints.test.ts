import { EC2Client } from "@aws-sdk/client-ec2";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { runInstance } from "../../../local/agent/seed.js";
import type { AgentModelHandle } from "../../../local/agent/start.js";
import { AGENT_TAGS } from "../../../local/agent/tags.js";
import { type DemoWorld, seedWorld } from "../../../local/seed.js";
import { depsThroughAgentModel } from "../../support/agent-front.js";
import { api } from "../../support/api.js";
import { inspector } from "../../support/inspect.js";

// ec2messages only where an agent needs it (issue 16), end to end through local mode's SSM Agent
// model (moto cannot answer DescribeInstanceInformation): the open handler talks to the model's
// front, which answers SSM's agent calls from the instances' tags and passes the rest to moto.
//   - agents of 3.3.40.0 and later that SSM knows (ConnectionLost included) get ssm and ssmmessages;
//   - an older agent gets ec2messages too, and so does one SSM does not know;
//   - a join by an older agent adds ec2messages to the session's stack.

const look = inspector();
const seeding = new EC2Client({ region: "us-east-1" });
let handle: AgentModelHandle | undefined;
let world: DemoWorld;
const motoEndpoint = () => inject("motoEndpoint");

beforeEach(async () => {
  world = await seedWorld(seeding, { region: "us-east-1", instances: 0 });
});
afterEach(async () => {
  await handle?.stop();
  handle = undefined;
});

/** An instance whose agent (of that version) SSM knows as ConnectionLost since 6 hours, or never registered. */
const instance = (version: string, known = true) =>
  runInstance(seeding, world, {
    tags: [{ Key: AGENT_TAGS.version, Value: version }, ...(known ? [{ Key: AGENT_TAGS.offlineFor, Value: "6h" }] : [])],
  });

/** The service, its clients talking to the agent model's front. */
async function service() {
  const { deps, model } = await depsThroughAgentModel(motoEndpoint());
  handle = model;
  return api(deps);
}

const servicesOf = (session: { endpoints: { service: string }[] }) => session.endpoints.map((e) => e.service);
const inEc2 = async () => (await look.endpoints(world.vpcId)).map((e) => e.ServiceName?.split(".").pop()).sort();
const parameter = async (key: string) => (await look.liveStacks())[0]?.Parameters?.find((p) => p.ParameterKey === key)?.ParameterValue;

describe("ec2messages, decided by the agent SSM knows", () => {
  it("is left out for agents of 3.3.40.0 and later, also ConnectionLost ones, and the reply says why", async () => {
    const id = await instance("3.3.40.0");
    const reply = await (await service()).open({ instanceId: id, ttl: "2h" });
    expect(reply.status).toBe(202);
    expect(servicesOf(reply.body.session)).toEqual(["ssm", "ssmmessages"]);
    expect(reply.body.warnings).toContainEqual(
      expect.stringMatching(`^ec2messages: not created: ${id} runs SSM Agent 3\\.3\\.40\\.0 \\(ConnectionLost\\)`),
    );
    expect(await inEc2()).toEqual(["ssm", "ssmmessages"]);
    expect(await parameter("CreateEc2Messages")).toBe("false");
    // 2 endpoints x 1 AZ x 2 h x USD 0.01 (moto has no Price List: the configured price)
    expect(reply.body.session).toMatchObject({ estimatedCostUsd: 0.04, pricePerEndpointHourUsd: 0.01, priceSource: "configured" });
  });

  it("is created for an older agent and for one SSM does not know, each saying why", async () => {
    const old = await instance("3.2.0.0");
    const open = await service();
    const reply = await open.open({ instanceId: old });
    expect(servicesOf(reply.body.session)).toEqual(["ssm", "ssmmessages", "ec2messages"]);
    expect(reply.body.warnings).toContainEqual(
      expect.stringMatching(/^ec2messages: .* runs SSM Agent 3\.2\.0\.0 .*older than 3\.3\.40\.0/),
    );
    expect(await inEc2()).toEqual(["ec2messages", "ssm", "ssmmessages"]);

    world = await seedWorld(seeding, { region: "us-east-1", instances: 0, cidr: "10.43.0.0/16" });
    const unknown = await instance("3.3.1000.0", false);
    const second = await open.open({ instanceId: unknown });
    expect(servicesOf(second.body.session)).toEqual(["ssm", "ssmmessages", "ec2messages"]);
    expect(second.body.warnings).toContainEqual(expect.stringMatching(`^ec2messages: SSM does not know ${unknown}'s agent yet`));
  });

  it("is added to the session's stack when an instance with an older agent joins", async () => {
    const modern = await instance("3.3.1000.0");
    const old = await instance("3.2.0.0");
    const open = await service();
    expect(servicesOf((await open.open({ instanceId: modern })).body.session)).toEqual(["ssm", "ssmmessages"]);
    const joined = await open.open({ instanceId: old });
    expect(joined.status).toBe(200);
    expect(servicesOf(joined.body.session)).toEqual(["ssm", "ssmmessages", "ec2messages"]);
    // moto applies a changed Condition only on the next update: the stack's parameters say what AWS creates.
    expect(await parameter("CreateEc2Messages")).toBe("true");
  });
});
