import type { Stack, StackResource } from "@aws-sdk/client-cloudformation";
import { describe, expect, it } from "vitest";
import type { TimerKind } from "../../../lib/core/timers.js";
import { planSweep, retainableOnRetry } from "../../../lib/sweep/plan.js";

const now = new Date("2026-11-30T12:00:00Z");
const HUB = "123456789012";
const entry = (sessionId: string, status: string, expiresAt: string, accountId = HUB) => ({
  stack: { StackName: `ssm-knock-${sessionId}`, StackStatus: status } as Stack,
  place: { accountId, region: "us-east-1" },
  sessionId,
  expiresAt: new Date(expiresAt),
});
/** A listed timer, in the hub unless told. */
const timer = (sessionId: string, kind: TimerKind, accountId = HUB) => ({ sessionId, accountId, kind });
const kinds = (actions: ReturnType<typeof planSweep>) => actions.map((a) => `${a.kind}:${"stack" in a ? a.stack.StackName : a.sessionId}`);

describe("planSweep", () => {
  it("deletes expired stacks, including those expiring this very instant", () => {
    const actions = planSweep({
      now,
      stacks: [entry("vpc-a", "CREATE_COMPLETE", "2026-11-30T11:00:00Z"), entry("vpc-b", "UPDATE_COMPLETE", "2026-11-30T12:00:00Z")],
      timers: [],
    });
    expect(kinds(actions)).toEqual(["delete_expired:ssm-knock-vpc-a", "delete_expired:ssm-knock-vpc-b"]);
  });

  it("retries DELETE_FAILED and deletes failed creations, whatever their expiry", () => {
    const actions = planSweep({
      now,
      stacks: [
        entry("vpc-a", "DELETE_FAILED", "2026-12-30T00:00:00Z"),
        entry("vpc-b", "ROLLBACK_COMPLETE", "2026-12-30T00:00:00Z"),
        entry("vpc-c", "CREATE_FAILED", "2026-12-30T00:00:00Z"),
      ],
      timers: [timer("vpc-a", "expire"), timer("vpc-b", "expire"), timer("vpc-c", "expire")],
    });
    expect(kinds(actions)).toEqual(["retry_delete:ssm-knock-vpc-a", "delete_failed:ssm-knock-vpc-b", "delete_failed:ssm-knock-vpc-c"]);
  });

  it("leaves stacks CloudFormation is already deleting or rolling back", () => {
    const actions = planSweep({
      now,
      stacks: [
        entry("vpc-a", "DELETE_IN_PROGRESS", "2026-11-30T11:00:00Z"),
        entry("vpc-b", "ROLLBACK_IN_PROGRESS", "2026-11-30T11:00:00Z"),
      ],
      timers: [],
    });
    expect(actions).toEqual([]);
  });

  it("recreates the timer of a live, unexpired stack, and only the expire timer counts", () => {
    const actions = planSweep({
      now,
      stacks: [entry("vpc-a", "CREATE_COMPLETE", "2026-11-30T13:00:00Z"), entry("vpc-b", "CREATE_IN_PROGRESS", "2026-11-30T13:00:00Z")],
      timers: [timer("vpc-a", "warn"), timer("vpc-b", "expire")],
    });
    expect(kinds(actions)).toEqual(["recreate_timer:ssm-knock-vpc-a"]);
  });

  it("removes timers whose stack is gone", () => {
    const actions = planSweep({
      now,
      stacks: [],
      timers: [timer("vpc-a", "expire"), timer("vpc-a", "warn")],
    });
    expect(kinds(actions)).toEqual(["remove_timer:vpc-a", "remove_timer:vpc-a"]);
  });

  it("keeps the timers of an account it could not list: they are no evidence of a missing stack", () => {
    const member = "222222222222";
    const actions = planSweep({
      now,
      stacks: [],
      timers: [timer("vpc-a", "expire", member), timer("vpc-b", "expire")],
      unlisted: new Set([member]),
    });
    expect(kinds(actions)).toEqual(["remove_timer:vpc-b"]);
  });

  it("acts on each stack in the account and region it was listed in", () => {
    const member = "222222222222";
    const actions = planSweep({
      now,
      stacks: [
        entry("vpc-a", "CREATE_COMPLETE", "2026-11-30T11:00:00Z", member),
        entry("vpc-b", "CREATE_COMPLETE", "2026-11-30T13:00:00Z", member),
      ],
      timers: [timer("vpc-c", "watch-a", member)],
    });
    expect(actions).toEqual([
      expect.objectContaining({ kind: "delete_expired", place: { accountId: member, region: "us-east-1" } }),
      expect.objectContaining({ kind: "recreate_timer", place: { accountId: member, region: "us-east-1" } }),
      { kind: "remove_timer", sessionId: "vpc-c", accountId: member, timer: "watch-a" },
    ]);
  });
});

describe("planSweep's statuses", () => {
  const later = "2026-12-30T00:00:00Z";
  it.each(["CREATE_FAILED", "ROLLBACK_COMPLETE", "ROLLBACK_FAILED"])(
    "deletes a stack whose creation ended %s before its expiry",
    (status) => {
      expect(kinds(planSweep({ now, stacks: [entry("vpc-a", status, later)], timers: [timer("vpc-a", "expire")] }))).toEqual([
        "delete_failed:ssm-knock-vpc-a",
      ]);
    },
  );

  it.each([
    "DELETE_IN_PROGRESS",
    "ROLLBACK_IN_PROGRESS",
    "UPDATE_ROLLBACK_IN_PROGRESS",
    "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
    "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
  ])("leaves an expired, untimed stack in %s, and keeps its timers", (status) => {
    const actions = planSweep({ now, stacks: [entry("vpc-a", status, "2026-11-30T11:00:00Z")], timers: [timer("vpc-a", "warn")] });
    expect(actions).toEqual([]);
  });
});

describe("retainableOnRetry", () => {
  const resource = (id: string, type: string, status: string): StackResource =>
    ({ LogicalResourceId: id, ResourceType: type, ResourceStatus: status }) as StackResource;
  const group = resource("EndpointGroup", "AWS::EC2::SecurityGroup", "DELETE_FAILED");
  const ingress = resource("EndpointIngress", "AWS::EC2::SecurityGroupIngress", "DELETE_FAILED");

  it("retains nothing while an endpoint is left, whatever its status", () => {
    for (const status of ["DELETE_FAILED", "DELETE_IN_PROGRESS", "CREATE_COMPLETE"]) {
      expect(retainableOnRetry([group, resource("SsmEndpoint", "AWS::EC2::VPCEndpoint", status), ingress])).toEqual([]);
    }
  });

  it("once every endpoint is deleted, retains the groups and ingress rules that failed to delete", () => {
    const resources = [
      resource("SsmEndpoint", "AWS::EC2::VPCEndpoint", "DELETE_COMPLETE"),
      group,
      ingress,
      resource("DeletedGroup", "AWS::EC2::SecurityGroup", "DELETE_COMPLETE"),
      resource("Timer", "AWS::Scheduler::Schedule", "DELETE_FAILED"),
    ];
    expect(retainableOnRetry(resources)).toEqual(["EndpointGroup", "EndpointIngress"]);
  });

  it("retains nothing when nothing failed", () => {
    expect(retainableOnRetry([resource("SsmEndpoint", "AWS::EC2::VPCEndpoint", "DELETE_COMPLETE")])).toEqual([]);
  });
});
