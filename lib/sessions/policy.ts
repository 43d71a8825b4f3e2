import type { Vpc } from "@aws-sdk/client-ec2";
import { formatDuration } from "../core/duration.js";
import { ForbiddenError, PreconditionError } from "../core/errors.js";
import { isoSeconds } from "../core/time.js";
import type { Config } from "../runtime/config.js";

export type Policy = Config["policy"];

/**
 * Whether the deployment lets ssm-knock open endpoints in this VPC. With neither ALLOWED_VPC_IDS
 * nor ALLOWED_VPC_TAG every VPC is allowed; with either or both, a VPC must match one of them.
 * A VPC that does not exist is left to the preflight (404), so this needs its facts only when a
 * tag rule must be read.
 */
export function assertVpcAllowed(policy: Policy, vpcId: string, vpc: Vpc | undefined, field: string): void {
  const { allowedVpcIds, allowedVpcTag } = policy;
  if (!allowedVpcIds.length && !allowedVpcTag) return;
  if (allowedVpcIds.includes(vpcId)) return;
  if (allowedVpcTag) {
    if (!vpc) return;
    const tag = vpc.Tags?.find((t) => t.Key === allowedVpcTag.key);
    if (tag && (allowedVpcTag.value === undefined || tag.Value === allowedVpcTag.value)) return;
  }
  // The allow list itself is not echoed: a caller learns only what would admit this VPC.
  const rule = allowedVpcTag
    ? `; a VPC qualifies by id or by carrying the tag ${allowedVpcTag.key}${allowedVpcTag.value === undefined ? "" : `=${allowedVpcTag.value}`}`
    : "";
  throw new ForbiddenError(`ssm-knock is not allowed to open access to ${vpcId}${rule}. Ask the service's operators.`, field);
}

export function assertRoomForSession(policy: Policy, liveSessions: number): void {
  if (policy.maxSessions === 0 || liveSessions < policy.maxSessions) return;
  throw new PreconditionError(
    "session_limit_reached",
    `ssm-knock allows at most ${policy.maxSessions} open sessions and ${liveSessions} are open; close one (DELETE /sessions/{id}) or wait for one to expire.`,
    undefined,
    { limit: policy.maxSessions, open: liveSessions },
  );
}

/** Live sessions when a session is opened: in total, and in the account it opens in. */
export interface LiveSessions {
  total: number;
  inAccount: number;
}

/** The per-account limit (MAX_SESSIONS_PER_ACCOUNT), beside the total one. */
export function assertRoomInAccount(policy: Policy, accountId: string, inAccount: number): void {
  const limit = policy.maxSessionsPerAccount;
  if (limit === 0 || inAccount < limit) return;
  throw new PreconditionError(
    "session_limit_reached",
    `ssm-knock allows at most ${limit} open sessions per account and ${inAccount} are open in ${accountId}; close one there (DELETE /sessions/{id}) or wait for one to expire.`,
    "accountId",
    { limit, open: inAccount, accountId },
  );
}

export interface OpenTarget {
  vpcId: string;
  /** The account the VPC is in: the VPC rules apply there as in any account. */
  accountId: string;
  vpc: Vpc | undefined;
  /** The VPC has a session already: this request joins it and opens nothing new. */
  joining: boolean;
  /** The request field that chose the VPC, named in the refusal. */
  field: "instanceId" | "vpcId";
}

/**
 * The configured policy for an open, checked after the VPC's facts are known and before anything
 * is created. (Accounts, regions, TTL bounds and the maximum lifetime are checked where they are read.)
 * The session count is a soft limit: two opens for different VPCs at the same instant may both
 * pass it, as each is serialised only per VPC.
 */
export function enforceOpenPolicy(policy: Policy, target: OpenTarget, live: LiveSessions): void {
  assertVpcAllowed(policy, target.vpcId, target.vpc, target.field);
  if (target.joining) return;
  assertRoomForSession(policy, live.total);
  assertRoomInAccount(policy, target.accountId, live.inAccount);
}

/**
 * A session lives at most `maxLifetimeMs` from its creation, however often it is joined or
 * extended: refuses an expiry past that with the latest one still allowed (one wording for every
 * route that moves an expiry).
 */
export function assertWithinLifetime(createdAt: Date, requested: Date, maxLifetimeMs: number, now: Date): void {
  const limit = new Date(createdAt.getTime() + maxLifetimeMs);
  if (requested <= limit) return;
  throw new PreconditionError(
    "max_lifetime_exceeded",
    `This session may live until ${isoSeconds(limit)} (${formatDuration(maxLifetimeMs)} after it opened); ask for a ttl of at most ${formatDuration(limit.getTime() - now.getTime())}, or open a new session after it closes.`,
    "ttl",
  );
}

/** The tag rule's words, for refusals: `key` or `key=value`. */
const tagText = (tag: { key: string; value?: string }) => (tag.value === undefined ? tag.key : `${tag.key}=${tag.value}`);

/**
 * Whether ssm-knock may reboot this instance to restart its agent (restartAgent "if-offline"):
 * only where the deployment allows it (ALLOW_REBOOT=true) and, with REBOOT_TAG, only instances
 * carrying that tag. Checked at open (403, nothing created) and again before the reboot itself.
 */
export function rebootRefusal(policy: Policy, instanceId: string, tags: Record<string, string>): string | undefined {
  if (!policy.reboot.allowed) {
    return `This deployment does not let ssm-knock reboot instances (ALLOW_REBOOT is not true); open without restartAgent, or ask the service's operators to set ALLOW_REBOOT=true.`;
  }
  const tag = policy.reboot.tag;
  if (tag && (tags[tag.key] === undefined || (tag.value !== undefined && tags[tag.key] !== tag.value))) {
    return `This deployment reboots only instances tagged ${tagText(tag)} (REBOOT_TAG), and ${instanceId} is not; tag it or open without restartAgent.`;
  }
  return undefined;
}

export function assertRebootAllowed(policy: Policy, instanceId: string, tags: Record<string, string>): void {
  const refusal = rebootRefusal(policy, instanceId, tags);
  if (refusal) throw new ForbiddenError(refusal, "restartAgent");
}
