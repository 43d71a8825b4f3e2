import { doesIdentityRequireRefresh, isIdentityExpired, memoizeIdentityProvider } from "@smithy/core";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { PreconditionError, UpstreamError } from "../core/errors.js";
import { awsErrorName } from "./errors.js";

/** What a member account's credentials are made from: the role to assume, with the hub's own credentials. */
export interface AssumeRoleInput {
  roleArn: string;
  sessionName: string;
  /** The region of the STS endpoint that issues them. */
  region: string;
}

export type AssumeRoleFactory = (input: AssumeRoleInput) => AwsCredentialIdentityProvider;

/** The partition of a region, for ARNs. */
export const partitionOf = (region: string) => (region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws");

/** The role the hub's functions assume in a member account (template/target-account.yaml's TargetRole). */
export const targetRoleArn = (region: string, accountId: string, roleName: string) =>
  `arn:${partitionOf(region)}:iam::${accountId}:role/${roleName}`;

/** The member account's own endpoint-stack role (CloudFormation needs one in the stack's account). */
export const memberStackRoleArn = (region: string, accountId: string, roleName: string) =>
  targetRoleArn(region, accountId, `${roleName}-endpoint-stacks`);

/** CloudTrail in the member account shows which of the hub's functions acted (AWS_LAMBDA_FUNCTION_NAME in Lambda). */
const sessionName = () => (process.env.AWS_LAMBDA_FUNCTION_NAME ?? "ssm-knock").replace(/[^\w+=,.@-]/g, "-").slice(0, 64);

/**
 * Why a member account's credentials could not be had, as the caller should hear it. STS answers
 * AccessDenied both when the role does not exist and when its trust refuses the hub: either way
 * the fix is the target template in that account (422, nothing was created). Anything else
 * (throttling, an STS outage) is AWS's side (502).
 */
function unavailable(accountId: string, roleArn: string, error: unknown): Error {
  const name = awsErrorName(error) || "Error";
  const said = `${name}: ${(error as Error)?.message ?? String(error)}`.slice(0, 300);
  if (name === "AccessDenied") {
    return new PreconditionError(
      "account_role_unavailable",
      `ssm-knock cannot assume ${roleArn} in account ${accountId} (${said}). Deploy template/target-account.yaml in that account (a StackSet for an OU, README "Organization") with this deployment's stage and hub account, or remove ${accountId} from ALLOWED_ACCOUNT_IDS.`,
      "accountId",
      { accountId },
      { cause: error },
    );
  }
  return new UpstreamError(
    "account_unreachable",
    `Credentials for account ${accountId} could not be obtained (${said}); try again in a minute.`,
    { accountId },
    { cause: error },
  );
}

/**
 * One account's credentials for every client of it (all services, all regions): the role is
 * assumed on first use and again five minutes before the credentials expire (the SDK's own
 * memoization, shared here so that one AssumeRole serves them all). A failure is not remembered:
 * the next call tries again.
 */
export function memberCredentials(
  assumeRole: AssumeRoleFactory,
  accountId: string,
  roleArn: string,
  region: string,
): AwsCredentialIdentityProvider {
  const memoized = memoizeIdentityProvider(
    assumeRole({ roleArn, sessionName: sessionName(), region }),
    isIdentityExpired,
    doesIdentityRequireRefresh,
  ) as (options?: Record<string, unknown>) => Promise<AwsCredentialIdentity>;
  return async (options) => {
    try {
      return await memoized(options);
    } catch (error) {
      throw unavailable(accountId, roleArn, error);
    }
  };
}
