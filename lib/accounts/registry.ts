import { memberStackRoleArn } from "../aws/assume-role.js";
import { ForbiddenError, InvalidRequestError } from "../core/errors.js";
import { ACCOUNT_ID } from "../core/ids.js";
import type { StackPlace } from "../core/session.js";
import type { Config } from "../runtime/config.js";

/**
 * The accounts of the organization ssm-knock serves (issue 17): the hub, where the functions,
 * timers and notifications live, and the member accounts in ALLOWED_ACCOUNT_IDS, reached through
 * their target role (template/target-account.yaml). Pure: no AWS call.
 */

type AccountsPart = Pick<Config, "accounts">;

/** Whether an account is another than the hub's own (its clients assume the target role). */
export const isMemberAccount = (config: AccountsPart, accountId: string) => accountId !== config.accounts.hub;

/**
 * The account a request names (default: the hub's own), if ssm-knock may act there: a malformed
 * id is 400, an account not in ALLOWED_ACCOUNT_IDS is 403, both before any AWS call. The allowed
 * list is not echoed, as with VPCs: a caller learns only that this one is not.
 */
export function resolveAccount(config: AccountsPart, requested: string | undefined, field = "accountId"): string {
  const accountId = requested ?? config.accounts.hub;
  if (!ACCOUNT_ID.test(accountId)) throw new InvalidRequestError(`${field} must be a 12-digit AWS account id such as 222222222222`, field);
  if (config.accounts.allowed.includes(accountId)) return accountId;
  throw new ForbiddenError(
    `ssm-knock is not allowed to open sessions in account ${accountId}. Ask the service's operators to add it to ALLOWED_ACCOUNT_IDS (and to deploy template/target-account.yaml there).`,
    field,
  );
}

/**
 * The role CloudFormation acts as for a session stack: the hub's endpoint-stack role in the hub,
 * the member account's own (`<target role>-endpoint-stacks`) elsewhere, since CloudFormation
 * needs a service role in the stack's account. Without a configured hub role (local mode, tests)
 * there is none anywhere.
 */
export function stackRoleFor(config: Pick<Config, "accounts" | "cloudFormationRoleArn" | "region">, accountId: string): string | undefined {
  if (!config.cloudFormationRoleArn || !isMemberAccount(config, accountId)) return config.cloudFormationRoleArn;
  return memberStackRoleArn(config.region, accountId, config.accounts.targetRoleName);
}

/** Every account and region sessions may be in: the hub's first, then each member account's, each in every allowed region. */
export function everyPlace(config: Pick<Config, "accounts" | "allowedRegions">): StackPlace[] {
  const { hub, allowed } = config.accounts;
  const accounts = [...(allowed.includes(hub) ? [hub] : []), ...allowed.filter((id) => id !== hub)];
  return accounts.flatMap((accountId) => config.allowedRegions.map((region) => ({ accountId, region })));
}
