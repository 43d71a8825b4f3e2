import { describe, expect, it } from "vitest";
import { hmacSha256Hex } from "../../../lib/runtime/hmac.js";
import { RecentSignatures, type SignedRequest, slackSignature, verifySlackRequest } from "../../../lib/slack/signature.js";

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const NOW = new Date("2026-12-01T12:00:00.000Z");
const NOW_S = NOW.getTime() / 1000;
const BODY = "command=%2Fknock&text=list";

const signed = (timestamp: number): SignedRequest => ({
  timestamp: String(timestamp),
  signature: slackSignature(SECRET, timestamp, BODY),
  rawBody: BODY,
});
/** Why the request was refused (the SlackSignatureError's `why`), or undefined when it was accepted. */
function why(request: SignedRequest, recent = new RecentSignatures()) {
  try {
    verifySlackRequest(SECRET, request, NOW, recent);
    return undefined;
  } catch (error) {
    return (error as { why?: string }).why ?? error;
  }
}

describe("verifySlackRequest", () => {
  it("refuses with 401 and one public message, whatever the reason", () => {
    expect(() => verifySlackRequest(undefined, signed(NOW_S), NOW, new RecentSignatures())).toThrow(
      expect.objectContaining({
        status: 401,
        code: "unauthorized",
        why: "unconfigured",
        message: "This request is not signed by Slack; ssm-knock only accepts requests from its Slack app.",
      }),
    );
  });

  it("accepts a timestamp exactly 5 minutes off either way, and refuses one second more", () => {
    expect(why(signed(NOW_S - 300))).toBeUndefined();
    expect(why(signed(NOW_S + 300))).toBeUndefined();
    expect(why(signed(NOW_S - 301))).toBe("stale");
    expect(why(signed(NOW_S + 301))).toBe("stale");
  });

  it.each([`x${NOW_S}`, `${NOW_S}x`, `000${NOW_S}`])("refuses the timestamp %s, correctly signed, as missing", (timestamp) => {
    const request = { timestamp, signature: `v0=${hmacSha256Hex(SECRET, `v0:${timestamp}:${BODY}`)}`, rawBody: BODY };
    expect(why(request)).toBe("missing");
  });

  it("refuses another body under the signature as forged, and the same request twice as replayed", () => {
    expect(why({ ...signed(NOW_S), rawBody: `${BODY}&x=1` })).toBe("forged");
    const recent = new RecentSignatures();
    expect(why(signed(NOW_S), recent)).toBeUndefined();
    expect(why(signed(NOW_S), recent)).toBe("replayed");
  });
});

/** What `remember` answers for each (signature, expiry, now) in turn. */
const answers = (recent: RecentSignatures, ...calls: [string, number, number][]) =>
  calls.map(([signature, expiresAt, now]) => recent.remember(signature, expiresAt, now));

describe("RecentSignatures", () => {
  it("refuses a signature while it lasts, and takes it again once it has expired, to the millisecond", () => {
    // "a" is not the oldest entry, so only its expiry (not the clean-up) lets it in again at 100.
    expect(answers(new RecentSignatures(), ["b", 1000, 0], ["a", 100, 0], ["a", 200, 99], ["a", 200, 100])).toEqual([
      true,
      true,
      false,
      true,
    ]);
  });

  it("forgets the oldest signature when full", () => {
    expect(answers(new RecentSignatures(2), ["a", 1000, 0], ["b", 1000, 0], ["c", 1000, 0], ["a", 1000, 0])).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  it("refuses a replay of its oldest signature when exactly full, rather than forgetting it to make room", () => {
    expect(answers(new RecentSignatures(3), ["a", 1000, 0], ["b", 1000, 0], ["c", 1000, 0], ["a", 1000, 1])).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it("forgets expired signatures first, so a renewed one counts as the newest", () => {
    const recent = new RecentSignatures(3);
    recent.remember("a", 100, 0);
    recent.remember("b", 1000, 0);
    expect(recent.remember("a", 2000, 100)).toBe(true);
    recent.remember("c", 1000, 100);
    // Full (b, a, c): making room for "d" forgets "b", the oldest, not the renewed "a".
    expect(answers(recent, ["d", 1000, 100], ["a", 2000, 100], ["b", 1000, 100])).toEqual([true, false, true]);
  });
});
