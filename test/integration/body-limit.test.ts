import { EC2Client } from "@aws-sdk/client-ec2";
import { beforeEach, describe, expect, it } from "vitest";
import { createHandler as openHandler } from "../../functions/open.js";
import { attributed } from "../../local/aws-call-log.js";
import { type DemoWorld, seedWorld } from "../../local/seed.js";
import { apiEvent, lambdaContext } from "../support/events.js";
import { testDeps } from "../support/harness.js";
import { inspector } from "../support/inspect.js";

// The README's "at most 16 KiB" body, at its exact edge: 16,384 bytes open a session, 16,385 bytes
// are refused with 413 and create nothing. The padding is JSON whitespace, so the body is the same
// valid request at both sizes, and the limit counts bytes, not characters.

const LIMIT = 16_384;
const look = inspector();
let world: DemoWorld;

beforeEach(async () => {
  world = await seedWorld(new EC2Client({ region: "us-east-1" }), { region: "us-east-1", instances: 0 });
});

/** The open request for the world's VPC, padded with spaces to exactly `bytes` bytes. */
function paddedBody(bytes: number, reason = "edge"): string {
  const body = JSON.stringify({ vpcId: world.vpcId, reason });
  const padding = bytes - Buffer.byteLength(body);
  expect(padding).toBeGreaterThan(0);
  return `${body.slice(0, -1)}${" ".repeat(padding)}}`;
}

const open = (raw: string, base64 = false) => {
  const event = apiEvent("POST", "/sessions", undefined, { rawBody: base64 ? Buffer.from(raw).toString("base64") : raw });
  event.isBase64Encoded = base64;
  return attributed(
    "open",
    openHandler(() => testDeps()),
  )(event, lambdaContext);
};

describe("the 16 KiB body limit", () => {
  it("opens a session for a body of exactly 16,384 bytes", async () => {
    const body = paddedBody(LIMIT);
    expect(Buffer.byteLength(body)).toBe(LIMIT);
    const response = await open(body);
    expect(response.statusCode).toBe(202);
    expect((await look.liveStacks()).map((s) => s.StackName)).toEqual([`ssm-knock-${world.vpcId}`]);
  });

  it("refuses 16,385 bytes with 413 payload_too_large and creates nothing", async () => {
    const response = await open(paddedBody(LIMIT + 1));
    expect(response.statusCode).toBe(413);
    expect(JSON.parse(response.body ?? "{}").error.code).toBe("payload_too_large");
    expect(await look.nothingCreated(world.vpcId)).toEqual({ stacks: [], schedules: [], endpoints: [] });
  });

  it("counts bytes, not characters: a two-byte character tips 16,384 characters over", async () => {
    const body = paddedBody(LIMIT + 1, "café");
    expect(body.length).toBe(LIMIT);
    expect((await open(body)).statusCode).toBe(413);
    expect((await open(paddedBody(LIMIT, "café"))).statusCode).toBe(202);
  });

  it("measures a base64 body once decoded, as the client sent it", async () => {
    expect((await open(paddedBody(LIMIT + 1), true)).statusCode).toBe(413);
    const accepted = await open(paddedBody(LIMIT), true);
    expect(accepted.statusCode).toBe(202);
  });
});
