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

/** What `remember` answers for each offer in turn, written `signature:expiresAt@now`. */
const answers = (recent: RecentSignatures, offers: string) =>
  offers.split(" ").map((offer) => {
    const match = /^(\w+):(\d+)@(\d+)$/.exec(offer);
    if (!match) throw new Error(`not signature:expiresAt@now: ${offer}`);
    return recent.remember(match[1], Number(match[2]), Number(match[3]));
  });

describe("RecentSignatures", () => {
  it.each<[string, number | undefined, string, boolean[]]>([
    // "a" is not the oldest entry, so only its expiry (not the clean-up) lets it in again at 100.
    [
      "refuses a signature while it lasts, and takes it again once expired, to the ms",
      undefined,
      "b:1000@0 a:100@0 a:200@99 a:200@100",
      [true, true, false, true],
    ],
    ["forgets the oldest signature when full", 2, "a:1000@0 b:1000@0 c:1000@0 a:1000@0", [true, true, true, true]],
    [
      "refuses a replay of its oldest signature when exactly full (asks before making room)",
      3,
      "a:1000@0 b:1000@0 c:1000@0 a:1000@1",
      [true, true, true, false],
    ],
  ])("%s", (_behaviour, size, offers, expected) => {
    expect(answers(new RecentSignatures(size), offers)).toEqual(expected);
  });

  it("forgets expired signatures first, so a renewed one counts as the newest", () => {
    const recent = new RecentSignatures(3);
    recent.remember("a", 100, 0);
    recent.remember("b", 1000, 0);
    expect(recent.remember("a", 2000, 100)).toBe(true);
    recent.remember("c", 1000, 100);
    // Full (b, a, c): making room for "d" forgets "b", the oldest, not the renewed "a".
    expect(answers(recent, "d:1000@100 a:2000@100 b:1000@100")).toEqual([true, false, true]);
  });
});
