import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { inspector } from "./inspect.js";

/** moto's default account, the hub's in every suite, and member accounts of the organization. */
export const HUB = "123456789012";
export const MEMBER = "222222222222";

/**
 * Credentials that act in another account of moto (its multi-account support: what STS
 * AssumeRole issues acts in the role's account), for seeding and looking, never recorded.
 */
export const credentialsIn = (account: string) =>
  fromTemporaryCredentials({
    params: { RoleArn: `arn:aws:iam::${account}:role/ssm-knock-test-seeder`, RoleSessionName: "test-seeder" },
    clientConfig: { region: "us-east-1" },
  });

/**
 * Read-only views of one account (test/support/inspect.ts), the hub's or a member's. Make one
 * after each moto reset: moto forgets the credentials it issued, whose keys then act in its
 * default account.
 */
export const lookIn = (account: string, region = "us-east-1") =>
  account === HUB ? inspector(region) : inspector(region, credentialsIn(account));
