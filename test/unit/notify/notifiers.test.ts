import { describe, expect, it, vi } from "vitest";
import { silentNotifier } from "../../../lib/core/session-events.js";
import { notifierFor } from "../../../lib/notify/notifiers.js";
import { loadConfig } from "../../../lib/runtime/config.js";

// The hand-off itself (an asynchronous Invoke of the notify function, its refusal and its timeout)
// runs against moto's Lambda: test/integration/hand-offs.test.ts.

describe("the notify hand-off's wiring", () => {
  it("is silent, and builds no Lambda client, when the deployment names no notify function", () => {
    expect(notifierFor(loadConfig({}), { error: vi.fn(), warn: vi.fn() })).toBe(silentNotifier);
  });
});
