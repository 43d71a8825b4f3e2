import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VPC_ID } from "../../../lib/core/ids.js";
import { CLOSE_ACTION, EXTEND_ACTION } from "../../../lib/slack/blocks.js";
import { parseButtonPress } from "../../../lib/slack/interactions.js";

// Property tests of Slack's interaction payloads: parseButtonPress answers a press of one of our
// two buttons, or undefined for anything else (its documented result: acknowledged and ignored);
// it never throws, whatever the payload field holds.

const hex17 = fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 17, maxLength: 17 });
const payloadLike = fc.record(
  {
    type: fc.oneof(fc.constant("block_actions"), fc.jsonValue()),
    user: fc.oneof(fc.record({ id: fc.string(), team_id: fc.oneof(fc.string(), fc.jsonValue()) }), fc.jsonValue()),
    team: fc.oneof(fc.constant(null), fc.record({ id: fc.string() }), fc.jsonValue()),
    channel: fc.oneof(fc.constant(null), fc.record({ id: fc.string() }), fc.jsonValue()),
    response_url: fc.oneof(fc.webUrl(), fc.string()),
    actions: fc.oneof(
      fc.array(
        fc.record({
          action_id: fc.oneof(fc.constantFrom(EXTEND_ACTION, CLOSE_ACTION), fc.string()),
          value: fc.oneof(
            hex17.map((h) => `vpc-${h}`),
            fc.string(),
            fc.jsonValue(),
          ),
        }),
        { maxLength: 3 },
      ),
      fc.jsonValue(),
    ),
  },
  { requiredKeys: [] },
);

describe("parseButtonPress, property-based", () => {
  it("answers any payload with one of our presses or undefined, never a throw", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          payloadLike.map((p) => JSON.stringify(p)),
          fc.string(),
          fc.constant(null),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (payload) => {
          const press = parseButtonPress(payload);
          if (press === undefined) return;
          expect(["extend", "close"]).toContain(press.action);
          expect(press.sessionId).toMatch(VPC_ID);
          expect(press.userId.length).toBeGreaterThan(0);
          expect(() => new URL(press.responseUrl)).not.toThrow();
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("reads every well-formed press of our buttons", () => {
    fc.assert(
      fc.property(hex17, fc.constantFrom(EXTEND_ACTION, CLOSE_ACTION), fc.webUrl(), (h, actionId, url) => {
        const payload = {
          type: "block_actions",
          user: { id: "U1", team_id: "T1" },
          response_url: url,
          actions: [{ action_id: actionId, value: `vpc-${h}` }],
        };
        expect(parseButtonPress(JSON.stringify(payload))).toEqual({
          action: actionId === EXTEND_ACTION ? "extend" : "close",
          sessionId: `vpc-${h}`,
          userId: "U1",
          teamId: "T1",
          channelId: undefined,
          responseUrl: url,
        });
      }),
    );
  });
});
