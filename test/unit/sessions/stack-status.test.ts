import { describe, expect, it } from "vitest";
import { eventOfStackStatus } from "../../../lib/sessions/stack-status.js";

// Every CloudFormation stack status (the API reference's StackStatus enum), and what it tells
// people. The stack-events function (EventBridge) and local mode's watcher (polling) share this
// rule, so a status added here or there changes both.
const ALL_STATUSES = [
  "CREATE_IN_PROGRESS",
  "CREATE_FAILED",
  "CREATE_COMPLETE",
  "ROLLBACK_IN_PROGRESS",
  "ROLLBACK_FAILED",
  "ROLLBACK_COMPLETE",
  "DELETE_IN_PROGRESS",
  "DELETE_FAILED",
  "DELETE_COMPLETE",
  "UPDATE_IN_PROGRESS",
  "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
  "UPDATE_COMPLETE",
  "UPDATE_FAILED",
  "UPDATE_ROLLBACK_IN_PROGRESS",
  "UPDATE_ROLLBACK_FAILED",
  "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
  "UPDATE_ROLLBACK_COMPLETE",
  "REVIEW_IN_PROGRESS",
  "IMPORT_IN_PROGRESS",
  "IMPORT_COMPLETE",
  "IMPORT_ROLLBACK_IN_PROGRESS",
  "IMPORT_ROLLBACK_FAILED",
  "IMPORT_ROLLBACK_COMPLETE",
];

describe("eventOfStackStatus", () => {
  it("tells only settled states, each once: ready on creation, failed where the sweeper or a person must act, update_failed when a change rolled back", () => {
    const told: Record<string, string[]> = {};
    for (const status of ALL_STATUSES) {
      const event = eventOfStackStatus(status);
      if (event) told[event] = [...(told[event] ?? []), status];
    }
    expect(told).toEqual({
      "session.ready": ["CREATE_COMPLETE"],
      "session.failed": ["CREATE_FAILED", "ROLLBACK_FAILED", "ROLLBACK_COMPLETE", "DELETE_FAILED", "UPDATE_ROLLBACK_FAILED"],
      "session.update_failed": ["UPDATE_ROLLBACK_COMPLETE"],
    });
  });
});
