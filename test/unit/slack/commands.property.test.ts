import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDuration } from "../../../lib/core/duration.js";
import { INSTANCE_ID, VPC_ID } from "../../../lib/core/ids.js";
import { parseCommandText } from "../../../lib/slack/commands.js";

// Property tests of the slash command's text: whatever a person types, parseCommandText answers a
// command the worker can run or `invalid` with a message to show (its documented result for text
// it cannot use); it never throws, and what it returns is well-formed.

const hex17 = fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 17, maxLength: 17 });
const word = fc.oneof(
  fc.constantFrom("open", "OPEN", "extend", "close", "status", "list", "help", "--restart-agent", "2h", "90m", "1.5", "0", "-1"),
  hex17.map((h) => `vpc-${h}`),
  hex17.map((h) => `i-${h}`),
  fc.string({ maxLength: 30 }),
);
const text = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "grapheme", maxLength: 100 }),
  fc.array(word, { maxLength: 8 }).map((words) => words.join(" ")),
  fc.tuple(fc.array(word, { maxLength: 6 }), fc.constantFrom(" ", "  ", "\t", "\n", "\u00a0")).map(([words, gap]) => words.join(gap)),
);

describe("parseCommandText, property-based", () => {
  it("answers any text with a well-formed command, never a throw", () => {
    fc.assert(
      fc.property(text, (input) => {
        const command = parseCommandText(input);
        switch (command.kind) {
          case "open": {
            const target = "instanceId" in command.target ? command.target.instanceId : command.target.vpcId;
            expect(target).toMatch("instanceId" in command.target ? INSTANCE_ID : VPC_ID);
            if (command.ttl !== undefined) expect(parseDuration(command.ttl)).toBeGreaterThan(0);
            if (command.reason !== undefined) expect(command.reason.trim()).not.toBe("");
            break;
          }
          case "extend":
            expect(command.id).toMatch(VPC_ID);
            expect(parseDuration(command.ttl)).toBeGreaterThan(0);
            break;
          case "close":
          case "status":
            expect(command.id).toMatch(VPC_ID);
            break;
          case "invalid":
            expect(command.message.length).toBeGreaterThan(5);
            // It quotes at most a short piece of what was typed.
            expect(command.message.length).toBeLessThan(300);
            break;
          default:
            expect(["list", "help"]).toContain(command.kind);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("reads the verb in any case and the words across any whitespace", () => {
    fc.assert(
      fc.property(
        hex17,
        fc.constantFrom("close", "Close", "CLOSE", "status", "Status"),
        fc.constantFrom(" ", "\t", "  \n "),
        (h, verb, gap) => {
          expect(parseCommandText(`${gap}${verb}${gap}vpc-${h}${gap}`)).toEqual({ kind: verb.toLowerCase(), id: `vpc-${h}` });
        },
      ),
    );
  });
});
