import { EC2Client } from "@aws-sdk/client-ec2";
import { afterEach, beforeEach } from "vitest";
import { type DemoWorld, type SeedOptions, seedWorld } from "../../local/seed.js";
import { type Receiver, startReceiver } from "./receiver.js";

/**
 * The notification suites' setup, fresh for each test: a seeded demo VPC in moto and a real HTTP
 * receiver on 127.0.0.1 for the webhook and Slack deliveries, closed after the test.
 */
export function worldAndReceiverPerTest(seed: Partial<SeedOptions> = {}): { world: DemoWorld; receiver: Receiver } {
  const fixture = {} as { world: DemoWorld; receiver: Receiver };
  beforeEach(async () => {
    fixture.world = await seedWorld(new EC2Client({ region: "us-east-1" }), { region: "us-east-1", ...seed });
    fixture.receiver = await startReceiver();
  });
  afterEach(async () => {
    await fixture.receiver.close();
  });
  return fixture;
}
