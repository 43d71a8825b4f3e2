import { describe, expect, it } from "vitest";
import { AgentModel, type ObservedInstance } from "../../../local/agent/model.js";

// Local mode's SSM Agent model draws each agent's jitter from a seed. Moto draws instance ids at
// random, so a run is reproducible only if the jitter does not hang on them.

const START = new Date("2026-12-01T12:00:00Z");
const cutOff = (instanceId: string, tags: Record<string, string>): ObservedInstance => ({
  instanceId,
  region: "us-east-1",
  running: true,
  tags,
  agent: { version: "3.3.1000.0", offlineForMs: 6 * 3_600_000, problems: [] },
  reachable: true,
  permitted: true,
});
/** When the agent comes Online in a fresh model, the endpoints there from the start. */
function onlineAt(instance: ObservedInstance, seed = "ssm-knock"): number | undefined {
  const model = new AgentModel(seed, START);
  model.observe([instance], START);
  const events = model.advanceTo(new Date(START.getTime() + 2 * 3_600_000));
  return events.find((e) => e.event === "online")?.at.getTime();
}

describe("AgentModel's jitter", () => {
  it("is the same for an instance of the same Name whatever id moto gave it", () => {
    const first = onlineAt(cutOff("i-0aaaaaaaaaaaaaaaa", { Name: "cut-off-6h" }));
    expect(first).toBeGreaterThan(START.getTime());
    expect(onlineAt(cutOff("i-0bbbbbbbbbbbbbbbb", { Name: "cut-off-6h" }))).toBe(first);
  });

  it("is drawn for each Name on its own, so two instances do not retry in step", () => {
    expect(onlineAt(cutOff("i-0aaaaaaaaaaaaaaaa", { Name: "web" }))).not.toBe(onlineAt(cutOff("i-0aaaaaaaaaaaaaaaa", { Name: "db" })));
  });
});
