import { describe, expect, it } from "vitest";
import { ApiClient } from "../../../lib/cli/api-client.js";
import type { ApiSession } from "../../../lib/cli/api-types.js";
import { CliError, InterruptedError } from "../../../lib/cli/errors.js";
import type { Progress } from "../../../lib/cli/progress.js";
import { readinessOf, WaitTimeoutError, waitUntilConnectable } from "../../../lib/cli/wait.js";
import type { FakeApi, FakeOptions } from "../../support/fake-api.js";
import { fakeApiPerTest, INSTANCE, VPC } from "../../support/fake-api-world.js";

const startFake = fakeApiPerTest();
let fake: FakeApi | undefined;

/** A fake API with one session open for INSTANCE, and a client that talks to it as local mode's user. */
async function opened(options: Partial<FakeOptions> = {}) {
  fake = await startFake(options);
  const api = new ApiClient(new URL(fake.url), async (request) => ({ ...request.headers, "x-ssm-knock-user": "alice" }));
  await api.open({ instanceId: INSTANCE });
  return api;
}

function recorder(): Progress & { stages: string[]; lines: string[] } {
  const stages: string[] = [];
  const lines: string[] = [];
  return {
    stages,
    lines,
    update: (stage) => {
      if (stages.at(-1) !== stage) stages.push(stage);
    },
    say: (line) => lines.push(line),
    stop: () => undefined,
  };
}

const options = (progress: Progress, overrides = {}) => ({
  timeoutMs: 2000,
  pollMs: 5,
  signal: new AbortController().signal,
  progress,
  ...overrides,
});

describe("waitUntilConnectable, against an HTTP server that plays the API", () => {
  it("reports each stage, in order, and returns once the instance is connectable", async () => {
    const api = await opened();
    const progress = recorder();
    const session = await waitUntilConnectable(api, VPC, INSTANCE, options(progress));
    expect(progress.stages).toEqual(["stack creating", "endpoints available", "agent online"]);
    expect(session.connectable).toBe(true);
    expect(fake?.log.filter((line) => line.startsWith("GET"))).toEqual([
      `GET ${VPC} creating`,
      `GET ${VPC} offline`,
      `GET ${VPC} online`,
      `GET ${VPC} connectable`,
    ]);
  });

  it("gives up at the timeout and names the failing checks with their fixes", async () => {
    const api = await opened({ steps: ["creating", "offline"] });
    const wait = waitUntilConnectable(api, VPC, INSTANCE, options(recorder(), { timeoutMs: 200 }));
    await expect(wait).rejects.toThrow(WaitTimeoutError);
    await expect(wait).rejects.toThrow(/endpoints available: agent ConnectionLost/);
    await expect(wait).rejects.toThrow(/✗ instance-profile: The instance has no instance profile[\s\S]*fix: Attach an instance profile/);
  });

  it("never takes an API that does not report readiness for connectable, and says so at the timeout", async () => {
    const api = await opened({ readiness: false, steps: ["creating", "connectable"] });
    const progress = recorder();
    const wait = waitUntilConnectable(api, VPC, INSTANCE, options(progress, { timeoutMs: 200 }));
    await expect(wait).rejects.toThrow(/does not report readiness/);
    expect(progress.stages).toEqual(["stack creating", "endpoints available"]);
  });

  it("stops at once when interrupted", async () => {
    const api = await opened({ steps: ["creating"] });
    const controller = new AbortController();
    const wait = waitUntilConnectable(
      api,
      VPC,
      INSTANCE,
      options(recorder(), { pollMs: 50, signal: controller.signal, timeoutMs: 60_000 }),
    );
    setTimeout(() => controller.abort("SIGINT"), 20);
    await expect(wait).rejects.toThrow(InterruptedError);
  });

  it("ends the wait when the session is gone", async () => {
    const api = await opened({ steps: ["creating"] });
    fake?.sessions.delete(VPC);
    await expect(waitUntilConnectable(api, VPC, INSTANCE, options(recorder()))).rejects.toMatchObject({ status: 404, code: "not_found" });
  });
});

describe("readinessOf", () => {
  const base = { id: VPC, status: "ready", endpoints: [], instances: [INSTANCE] } as unknown as ApiSession;

  it("waits for the instance's own connectable, not the session's (others' instances may never be)", () => {
    const session = {
      ...base,
      connectable: false,
      instances: [
        { id: INSTANCE, pingStatus: "Online", connectable: true },
        { id: "i-0fedcba9876543210", pingStatus: "ConnectionLost", connectable: false },
      ],
    } as ApiSession;
    expect(readinessOf(session, INSTANCE)).toMatchObject({ stage: "connectable", done: true });
    expect(readinessOf(session, "i-0fedcba9876543210")).toMatchObject({ stage: "endpoints available", done: false });
  });

  it("treats a missing connectable as not known yet", () => {
    expect(readinessOf(base, INSTANCE)).toMatchObject({ done: false, detail: expect.stringMatching(/does not report connectable/) });
  });

  it("refuses a session that can no longer become connectable", () => {
    expect(() => readinessOf({ ...base, status: "failed", statusReason: "CREATE_FAILED: quota" }, INSTANCE)).toThrow(CliError);
    expect(() => readinessOf({ ...base, status: "closing" }, INSTANCE)).toThrow(/is closing/);
  });

  it("tells an instance not in the session yet, and an agent that is online but not yet accepted", () => {
    expect(readinessOf({ ...base, connectable: false, instances: [] } as unknown as ApiSession, INSTANCE)).toEqual({
      stage: "endpoints available",
      detail: `${INSTANCE} not in the session yet`,
      done: false,
    });
    const online = { ...base, connectable: false, instances: [{ id: INSTANCE, pingStatus: "Online", connectable: false }] } as ApiSession;
    expect(readinessOf(online, INSTANCE)).toEqual({
      stage: "agent online",
      detail: `waiting for Session Manager to accept ${INSTANCE}`,
      done: false,
    });
    expect(readinessOf({ ...base, connectable: true, instances: [] } as unknown as ApiSession, INSTANCE)).toMatchObject({ done: true });
  });
});

describe("WaitTimeoutError", () => {
  const ready = (instances: unknown[]) =>
    ({ id: VPC, status: "ready", endpoints: [], connectable: false, instances }) as unknown as ApiSession;

  it("says where the wait stopped, in whole minutes or seconds, and what to try when no check fails", () => {
    const quiet = new WaitTimeoutError(INSTANCE, 600_000, ready([{ id: INSTANCE, pingStatus: "ConnectionLost", connectable: false }]));
    expect(quiet.message).toBe(
      `${INSTANCE} is not connectable after 10m (endpoints available: agent ConnectionLost).\n` +
        "The API reports no failing check; the agent may still be in its retry backoff (up to an hour): try --restart-agent, or wait longer with --wait-timeout.",
    );
    expect(new WaitTimeoutError(INSTANCE, 90_500, undefined).message).toMatch(
      new RegExp(`^${INSTANCE} is not connectable after 91s\\.\\n`),
    );
  });

  it("lists failing and warning checks with their fixes, and a check without a fix alone", () => {
    const checks = [
      { name: "instance-egress", status: "warn", message: "Part of the subnets.", fix: "Add a rule." },
      { name: "agent-ping", status: "fail", message: "No agent.", fix: null },
      { name: "dns", status: "ok", message: "Fine.", fix: null },
    ];
    const error = new WaitTimeoutError(INSTANCE, 60_000, ready([{ id: INSTANCE, pingStatus: "Inactive", connectable: false, checks }]));
    expect(error.message).toContain(
      "Failing checks:\n  ! instance-egress: Part of the subnets.\n    fix: Add a rule.\n  ✗ agent-ping: No agent.",
    );
    expect(error.message).not.toContain("dns");
  });
});
