import type { Stack } from "@aws-sdk/client-cloudformation";
import { describe, expect, it } from "vitest";
import { toSession } from "../../../lib/sessions/shape.js";
import { specFromStack, stackParameters } from "../../../lib/sessions/stack-record.js";
import { sampleSpec } from "../../support/session-fixture.js";

// The price an open used is part of the session's record on its stack (issue 16): the close, the
// expiry, the sweeper and GET /sessions bill at it, without asking the Price List again.
const stackOf = (parameters: ReturnType<typeof stackParameters>): Stack => ({
  StackName: "ssm-knock-vpc-0a1b2c3d4e5f60718",
  StackStatus: "CREATE_COMPLETE",
  CreationTime: new Date("2026-11-30T10:00:05Z"),
  Parameters: parameters,
});

const HOME = { accountId: "123456789012", region: "us-east-1" };

describe("the recorded price", () => {
  it("survives the stack record and prices the Session, its cost so far and its estimate", () => {
    const spec = sampleSpec({ price: { usd: 0.014, source: "price-list" } });
    const read = specFromStack(stackOf(stackParameters(spec)), HOME);
    expect(read.price).toEqual({ usd: 0.014, source: "price-list" });
    const session = toSession(
      { spec: read, stackName: "s", stackCreatedAt: new Date("2026-11-30T10:00:05Z") },
      new Date("2026-11-30T11:30:00Z"),
      0.01,
    );
    // 3 endpoints x 1 AZ: 2 started hours so far, 2 to the expiry (12:00), at the recorded 0.014.
    expect(session).toMatchObject({
      pricePerEndpointHourUsd: 0.014,
      priceSource: "price-list",
      costSoFarUsd: 0.084,
      estimatedCostUsd: 0.084,
    });
  });

  it("falls back to the configured price for stacks from before it was recorded, or with a record that is not a price", () => {
    const parameters = stackParameters(sampleSpec()).map((p) =>
      p.ParameterKey === "SessionRecord"
        ? { ...p, ParameterValue: JSON.stringify({ createdAt: "2026-11-30T10:00:00Z", price: { usd: "free" }, requests: [] }) }
        : p,
    );
    for (const stack of [stackOf(stackParameters(sampleSpec())), stackOf(parameters)]) {
      const spec = specFromStack(stack, HOME);
      expect(spec.price).toBeUndefined();
      expect(toSession({ spec, stackName: "s" }, new Date("2026-11-30T10:15:00Z"), 0.011)).toMatchObject({
        pricePerEndpointHourUsd: 0.011,
        priceSource: "configured",
      });
    }
  });
});
