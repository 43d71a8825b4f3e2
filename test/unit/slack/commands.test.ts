import { describe, expect, it } from "vitest";
import { parseCommandText, USAGE } from "../../../lib/slack/commands.js";

const I = "i-0123456789abcdef0";
const VPC = "vpc-0123456789abcdef0";
/** The message of an `invalid` answer (fails the test for any other kind). */
const messageOf = (text: string) => {
  const parsed = parseCommandText(text);
  expect(parsed.kind, text).toBe("invalid");
  return (parsed as { message: string }).message;
};

describe("Function: parseCommandText, open --account", () => {
  it("takes the account from anywhere among the words, in either form", () => {
    expect(parseCommandText("open i-0123456789abcdef0 2h --account 222222222222 debugging payments")).toEqual({
      kind: "open",
      target: { instanceId: "i-0123456789abcdef0" },
      ttl: "2h",
      reason: "debugging payments",
      accountId: "222222222222",
    });
    expect(parseCommandText("open --account=222222222222 vpc-0123456789abcdef0")).toMatchObject({
      kind: "open",
      target: { vpcId: "vpc-0123456789abcdef0" },
      accountId: "222222222222",
    });
  });

  it("opens in the service's own account without it", () => {
    expect(parseCommandText("open i-0123456789abcdef0 2h")).not.toHaveProperty("accountId");
  });

  it("says what to type for a missing, malformed or repeated account", () => {
    for (const text of [
      "open i-0123456789abcdef0 --account",
      "open i-0123456789abcdef0 --account 2222",
      "open i-0123456789abcdef0 --account=",
      "open i-0123456789abcdef0 --account 222222222222 --account 333333333333",
      "open i-0123456789abcdef0 --account 222222222222 --account=333333333333",
    ]) {
      const parsed = parseCommandText(text);
      expect(parsed.kind, text).toBe("invalid");
      expect((parsed as { message: string }).message, text).toMatch(/--account/);
    }
  });
});

describe("Function: parseCommandText, help", () => {
  it.each(["", "   ", "help", "HELP", "Help"])("answers %j with help", (text) => {
    expect(parseCommandText(text)).toEqual({ kind: "help" });
  });

  it("lists every command with the syntax the README documents", () => {
    for (const syntax of [
      "`open <i-…|vpc-…> [ttl] [--restart-agent] [--account <id>] [reason…]`",
      "`extend <vpc-…> <ttl>`",
      "`close <vpc-…>`",
      "`status <vpc-…>`",
      "`list`",
      "`help`",
    ]) {
      expect(
        USAGE.filter((line) => line.startsWith(`${syntax}: `)),
        syntax,
      ).toHaveLength(1);
    }
  });
});

describe("Function: parseCommandText, open", () => {
  it("takes the words after the target as the reason when no ttl follows it", () => {
    expect(parseCommandText(`open ${VPC} debugging payments`)).toEqual({
      kind: "open",
      target: { vpcId: VPC },
      reason: "debugging payments",
    });
  });

  it.each([
    ["2", 2],
    ["10", 10],
    ["1.5", 1.5],
    ["1.25", 1.25],
  ])("reads %s as a number of hours, as the API does", (word, hours) => {
    expect(parseCommandText(`open ${I} ${word} why`)).toEqual({ kind: "open", target: { instanceId: I }, ttl: hours, reason: "why" });
  });

  it.each(["+2", "0x2"])("takes %s, no plain number of hours, as the start of the reason", (word) => {
    expect(parseCommandText(`open ${I} ${word} why`)).toEqual({ kind: "open", target: { instanceId: I }, reason: `${word} why` });
  });

  it.each([`open ${I} --restart-agent 2h why`, `open --restart-agent ${I} 2h why`, `open ${I} 2h why --restart-agent`])(
    "takes --restart-agent from anywhere, out of the ttl and the reason: %s",
    (text) => {
      expect(parseCommandText(text)).toEqual({
        kind: "open",
        target: { instanceId: I },
        ttl: "2h",
        reason: "why",
        restartAgent: "if-offline",
      });
    },
  );

  it("lets the agent be restarted only when asked", () => {
    expect(parseCommandText(`open ${I} 2h why`)).not.toHaveProperty("restartAgent");
  });
});

describe("Function: parseCommandText, extend, close and status", () => {
  it.each([
    ["1h", "1h"],
    ["1.5", 1.5],
  ])("extends a session by %s", (word, ttl) => {
    expect(parseCommandText(`extend ${VPC} ${word}`)).toEqual({ kind: "extend", id: VPC, ttl });
  });

  it.each([`extend ${VPC}`, `extend ${VPC} 0`, `extend ${VPC} 0.001`, `extend ${VPC} soon`, `extend ${VPC} 1h now`])(
    "asks for one duration for %j",
    (text) => {
      expect(messageOf(text)).toMatch(/^`extend` needs a duration/);
    },
  );

  it.each(["extend", "close", "status"])("names the command that needs a session id: %s", (verb) => {
    expect(messageOf(verb)).toContain(`\`${verb}\` needs a session id, the VPC id: \`${verb} vpc-`);
  });

  it.each(["close", "Close", "STATUS"])("%s takes only the session id", (verb) => {
    expect(messageOf(`${verb} ${VPC} now`)).toBe(`\`${verb.toLowerCase()}\` takes only the session id.`);
  });
});

describe("Function: parseCommandText, what it cannot read", () => {
  const long = "q".repeat(60);
  it.each([
    [`open ${long}`, 40],
    [`status ${long}`, 40],
    [long, 20],
  ])("quotes a short piece of what was typed: %s -> %i characters", (text, length) => {
    const message = messageOf(text);
    expect(message).toContain(`\`${"q".repeat(length)}\``);
    expect(message).not.toContain("q".repeat(length + 1));
  });
});
