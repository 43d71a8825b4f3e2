import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VPC_ID } from "../../../lib/core/ids.js";
import { parseTimerInput } from "../../../lib/core/timers.js";

// Property tests of a schedule's input. Its documented result for anything malformed is an Error
// "Not an ssm-knock timer event: …" (thrown on purpose: Scheduler retries, then the event goes to
// the dead-letter queue), never a TypeError from reading a field that is not there.

const hex17 = fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 17, maxLength: 17 });
const timerLike = fc.record(
  {
    action: fc.oneof(fc.constantFrom("expire", "warn", "watch"), fc.jsonValue()),
    sessionId: fc.oneof(
      hex17.map((h) => `vpc-${h}`),
      fc.jsonValue(),
    ),
    region: fc.oneof(fc.constantFrom("us-east-1", "eu-west-1"), fc.jsonValue()),
    stackName: fc.oneof(fc.string({ maxLength: 140 }), fc.jsonValue()),
    watch: fc.oneof(
      fc.jsonValue(),
      fc.record({ since: fc.string(), round: fc.oneof(fc.integer(), fc.double()), rebooted: fc.jsonValue() }),
    ),
  },
  { requiredKeys: [] },
);

describe("parseTimerInput, property-based", () => {
  it("returns a timer for its own session, or throws the documented error, for any event", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), timerLike), (event) => {
        try {
          const timer = parseTimerInput(event);
          expect(timer.sessionId).toMatch(VPC_ID);
          expect(["expire", "warn", "watch"]).toContain(timer.action);
          expect(timer.stackName.length).toBeLessThanOrEqual(128);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
          expect((error as Error).constructor).toBe(Error);
          expect((error as Error).message).toMatch(/^Not an ssm-knock timer event: /);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
