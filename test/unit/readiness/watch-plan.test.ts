import type { Instance } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { known, type ReadinessFacts } from "../../../lib/core/readiness-facts.js";
import { type InstanceReadiness, notRead } from "../../../lib/core/session.js";
import type { WatchState } from "../../../lib/core/timers.js";
import { instancesToReboot, kickDueAt, MAX_CHECK_GAP_MS, nextCheckAt, type RebootPolicyCheck } from "../../../lib/readiness/watch-plan.js";
import { facts as workingFacts } from "../../support/readiness-facts.js";
import { sampleSpec } from "../../support/session-fixture.js";

const MINUTE = 60_000;
const ID = "i-0123456789abcdef0";
const OTHER = "i-0fedcba9876543210";
const since = new Date("2026-11-30T10:00:00Z");
const state = (overrides: Partial<WatchState> = {}): WatchState => ({ since: since.toISOString(), round: 0, rebooted: {}, ...overrides });
const asked = sampleSpec({ requests: [{ by: "alice", at: "2026-11-30T10:00:00Z", instanceId: ID, restartAgent: "if-offline" }] });
const notAsked = sampleSpec({ requests: [{ by: "alice", at: "2026-11-30T10:00:00Z", instanceId: ID }] });
const offline = (overrides: Partial<InstanceReadiness> = {}): InstanceReadiness => ({
  ...notRead(ID),
  pingStatus: "ConnectionLost",
  lastPingAt: "2026-11-30T04:00:00Z",
  connectable: false,
  ...overrides,
});
const running = (tags: Record<string, string> = {}, stateName = "running", id = ID): ReadinessFacts =>
  workingFacts({
    instanceId: id,
    instance: known({
      InstanceId: id,
      State: { Name: stateName },
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    } as Instance),
  });
const allowAll: RebootPolicyCheck = { refusal: () => undefined };
const at = (minutes: number) => new Date(since.getTime() + minutes * MINUTE);

describe("instancesToReboot", () => {
  const context = (minutes: number, policy = allowAll) => ({ now: at(minutes), agentGraceMs: 3 * MINUTE, policy });

  it("reboots an instance asked for, once the grace has passed, and only once", () => {
    expect(instancesToReboot(asked, [offline()], [running()], state(), context(2)).reboot).toEqual([]);
    expect(instancesToReboot(asked, [offline()], [running()], state(), context(3)).reboot).toEqual([ID]);
    expect(
      instancesToReboot(asked, [offline()], [running()], state({ rebooted: { [ID]: at(3).toISOString() } }), context(9)).reboot,
    ).toEqual([]);
  });

  it("never reboots what was not asked for, what is connectable, or what is not running", () => {
    expect(instancesToReboot(notAsked, [offline()], [running()], state(), context(5)).reboot).toEqual([]);
    expect(instancesToReboot(asked, [offline({ connectable: true })], [running()], state(), context(5)).reboot).toEqual([]);
    expect(instancesToReboot(asked, [offline()], [running({}, "stopped")], state(), context(5)).reboot).toEqual([]);
  });

  it("asks the deployment's policy at the kick, and reports what it refuses", () => {
    const policy = { refusal: (_: string, tags: Record<string, string>) => (tags.rebootable ? undefined : "not tagged rebootable") };
    expect(instancesToReboot(asked, [offline()], [running()], state(), context(5, policy))).toEqual({
      reboot: [],
      refused: [{ instanceId: ID, why: "not tagged rebootable" }],
    });
    expect(instancesToReboot(asked, [offline()], [running({ rebootable: "yes" })], state(), context(5, policy)).reboot).toEqual([ID]);
  });

  it("decides each instance on its own facts, whatever their order", () => {
    const both = sampleSpec({
      requests: [ID, OTHER].map((instanceId) => ({
        by: "alice",
        at: "2026-11-30T10:00:00Z",
        instanceId,
        restartAgent: "if-offline" as const,
      })),
    });
    const readiness = [offline(), offline({ id: OTHER })];
    expect(instancesToReboot(both, readiness, [running({}, "stopped"), running({}, "running", OTHER)], state(), context(5)).reboot).toEqual(
      [OTHER],
    );
  });

  it("hands the policy the instance's tags, a tag without a value as an empty one", () => {
    const seen: Record<string, string>[] = [];
    const policy: RebootPolicyCheck = {
      refusal: (_, tags) => {
        seen.push(tags);
        return undefined;
      },
    };
    const tagged = workingFacts({
      instanceId: ID,
      instance: known({
        InstanceId: ID,
        State: { Name: "running" },
        Tags: [{ Key: "rebootable" }, { Key: "team", Value: "a" }],
      } as Instance),
    });
    instancesToReboot(asked, [offline()], [tagged], state(), context(5, policy));
    expect(seen).toEqual([{ rebootable: "", team: "a" }]);
  });
});

describe("nextCheckAt", () => {
  const expiresAt = at(120);

  it("looks again two minutes after a reboot", () => {
    expect(nextCheckAt([offline()], state(), { now: at(5), expiresAt, rebootedNow: true })).toEqual(at(7));
  });

  it("looks when a kick comes due, ahead of a later prediction", () => {
    expect(nextCheckAt([offline()], state(), { now: at(1), expiresAt, rebootedNow: false, kickDueAt: at(3) })).toEqual(at(3));
  });

  it("looks a minute after the earliest predicted retry of an offline agent", () => {
    // Lost at 10:05 and 10:03: their first retries come exactly 5 minutes later, at 10:10 and 10:08.
    const lost = [offline({ lastPingAt: "2026-11-30T10:05:00Z" }), offline({ id: OTHER, lastPingAt: "2026-11-30T10:03:00Z" })];
    expect(nextCheckAt(lost, state(), { now: at(6), expiresAt, rebootedNow: false })).toEqual(at(9));
  });

  it("predicts only for an agent SSM knows as ConnectionLost that Session Manager cannot reach yet", () => {
    // Without a prediction, round 0 waits one minute.
    const context = { now: at(1), expiresAt, rebootedNow: false };
    expect(nextCheckAt([offline({ pingStatus: "Online" })], state(), context)).toEqual(at(2));
    expect(nextCheckAt([offline({ connectable: true })], state(), context)).toEqual(at(2));
  });

  it("no longer hurries for a kick that is due now or was due before (made, or refused)", () => {
    // Round 4 waits three minutes.
    const unknown = [notRead(ID)];
    expect(nextCheckAt(unknown, state({ round: 4 }), { now: at(5), expiresAt, rebootedNow: false, kickDueAt: at(5) })).toEqual(at(8));
    expect(nextCheckAt(unknown, state({ round: 4 }), { now: at(5), expiresAt, rebootedNow: false, kickDueAt: at(3) })).toEqual(at(8));
  });

  it("otherwise waits a growing gap, at least a minute and at most fifteen", () => {
    const unknown = [notRead(ID)];
    expect(nextCheckAt(unknown, state({ round: 0 }), { now: at(1), expiresAt, rebootedNow: false })).toEqual(at(2));
    const late = nextCheckAt(unknown, state({ round: 50 }), { now: at(1), expiresAt, rebootedNow: false });
    expect(late?.getTime()).toBe(at(1).getTime() + MAX_CHECK_GAP_MS);
  });

  it("stops at the session's expiry", () => {
    expect(nextCheckAt([notRead(ID)], state({ round: 50 }), { now: at(110), expiresAt, rebootedNow: false })).toBeUndefined();
  });
});

describe("kickDueAt", () => {
  it("is the end of the grace while an instance asked for still waits, and nothing after its reboot", () => {
    expect(kickDueAt(asked, [offline()], state(), 3 * MINUTE)).toEqual(at(3));
    expect(kickDueAt(asked, [offline()], state({ rebooted: { [ID]: at(3).toISOString() } }), 3 * MINUTE)).toBeUndefined();
    expect(kickDueAt(notAsked, [offline()], state(), 3 * MINUTE)).toBeUndefined();
  });
});
