import { CreateTagsCommand, EC2Client, StopInstancesCommand, TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import { beforeEach, describe, expect, it } from "vitest";
import { CliError } from "../../lib/cli/errors.js";
import type { Settings } from "../../lib/cli/settings.js";
import { ec2Directory, instanceNamed, instanceOf, parseTarget, sessionIdOf } from "../../lib/cli/targets.js";
import { type DemoWorld, seedWorld } from "../../local/seed.js";

// The CLI's target resolution against moto's EC2: Name tags by DescribeInstances (running and
// stopped instances only), ambiguous names listing the candidates, instance ids to their VPC.

const ec2 = new EC2Client({ region: "us-east-1" });
const settings = { region: "us-east-1" } as Settings;
let world: DemoWorld;
let other: DemoWorld;

const tag = (instanceId: string, name: string) =>
  ec2.send(new CreateTagsCommand({ Resources: [instanceId], Tags: [{ Key: "Name", Value: name }] }));

beforeEach(async () => {
  world = await seedWorld(ec2, { region: "us-east-1", instances: 2 });
  other = await seedWorld(ec2, { region: "us-east-1", cidr: "10.61.0.0/16", instances: 3 });
  await tag(world.instanceIds[0], "web");
  await tag(world.instanceIds[1], "db");
  await tag(other.instanceIds[0], "db");
  await tag(other.instanceIds[1], "batch");
  await tag(other.instanceIds[2], "retired");
  await ec2.send(new StopInstancesCommand({ InstanceIds: [other.instanceIds[1]] }));
  await ec2.send(new TerminateInstancesCommand({ InstanceIds: [other.instanceIds[2]] }));
});

describe("target resolution against EC2 (moto)", () => {
  it("finds the one instance with a Name tag, running or stopped", async () => {
    const directory = ec2Directory(settings);
    await expect(instanceNamed("web", directory)).resolves.toMatchObject({
      instanceId: world.instanceIds[0],
      state: "running",
      vpcId: world.vpcId,
    });
    await expect(instanceNamed("batch", directory)).resolves.toMatchObject({ instanceId: other.instanceIds[1], state: "stopped" });
  });

  it("lists every candidate of an ambiguous name and resolves nothing", async () => {
    const resolving = instanceNamed("db", ec2Directory(settings));
    await expect(resolving).rejects.toThrow(CliError);
    const message = await resolving.catch((error: Error) => error.message);
    expect(message).toMatch(/The Name tag "db" matches 2 instances in us-east-1; give one by its id:/);
    expect(message).toContain(world.instanceIds[1]);
    expect(message).toContain(other.instanceIds[0]);
    expect(message).toContain(other.vpcId);
  });

  it("does not offer a terminated instance, nor one whose name only looks alike", async () => {
    const directory = ec2Directory(settings);
    await expect(instanceNamed("retired", directory)).rejects.toThrow(
      /No running or stopped instance has the Name tag "retired" in us-east-1/,
    );
    await expect(instanceNamed("WEB", directory)).rejects.toThrow(/case-sensitive/);
  });

  it("turns a target into the instance to connect to and the session (VPC) to manage", async () => {
    const directory = () => ec2Directory(settings);
    await expect(instanceOf(parseTarget("web"), directory)).resolves.toBe(world.instanceIds[0]);
    await expect(instanceOf(parseTarget(world.instanceIds[1]), directory)).resolves.toBe(world.instanceIds[1]);
    await expect(instanceOf(parseTarget(world.vpcId), directory)).rejects.toThrow(/is a VPC; connect to an instance/);
    await expect(sessionIdOf(parseTarget("web"), directory)).resolves.toBe(world.vpcId);
    await expect(sessionIdOf(parseTarget(other.instanceIds[0]), directory)).resolves.toBe(other.vpcId);
    await expect(sessionIdOf(parseTarget(world.vpcId), directory)).resolves.toBe(world.vpcId);
    await expect(sessionIdOf(parseTarget("i-0123456789abcdef0"), directory)).rejects.toThrow(
      /i-0123456789abcdef0 was not found in this region/,
    );
  });
});
