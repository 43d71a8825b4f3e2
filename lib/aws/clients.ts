import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { IAMClient } from "@aws-sdk/client-iam";
import type { PricingClient } from "@aws-sdk/client-pricing";
import type { SchedulerClient } from "@aws-sdk/client-scheduler";
import type { SSMClient } from "@aws-sdk/client-ssm";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import type { Config } from "../runtime/config.js";
import { type AssumeRoleFactory, memberCredentials, targetRoleArn } from "./assume-role.js";
import { assumeRole, cloudFormation, ec2, iam, pricing, scheduler, ssm } from "./client-factories.js";

/** The AWS clients of one account and region. The SDK reads AWS_ENDPOINT_URL itself, which is how
 * the same code talks to moto in tests and local mode. */
export interface RegionClients {
  region: string;
  /** The account the clients act in. */
  accountId: string;
  ec2: EC2Client;
  cloudFormation: CloudFormationClient;
  scheduler: SchedulerClient;
  ssm: SSMClient;
  /** Global, but asked through the region's endpoint like the others (the readiness role check). */
  iam: IAMClient;
  /** The Price List Query API: answered in us-east-1 only (the factory pins it), whatever this region. */
  pricing: PricingClient;
}

/** The clients of a region, in the hub's own account or (given) a member account of the organization. */
export type ClientsForRegion = (region: string, accountId?: string) => RegionClients;

type ClientName = Exclude<keyof RegionClients, "region" | "accountId">;
/** What every client is constructed with; a member account's clients get its role's credentials. */
export type ClientOptions = { region: string; retryMode: string; maxAttempts: number; credentials?: AwsCredentialIdentityProvider };
const BEST_EFFORT = new Set<ClientName>(["ssm", "iam"]);

/** How to construct each client a function uses. A Lambda names only the clients it calls, so
 * its bundle carries (and its cold start parses) only those SDK packages. `assumeRole` is wired
 * by the functions that act in member accounts. Each factory learns the account it builds for. */
export type ClientFactories = { [K in ClientName]?: (options: ClientOptions, accountId: string) => RegionClients[K] } & {
  assumeRole?: AssumeRoleFactory;
};

/** How clients reach an account: the hub's own with the function's credentials, any other through its target role. */
export interface AccountAccess {
  hubAccountId: string;
  /** The region whose STS endpoint issues the member accounts' credentials (the hub's). */
  stsRegion: string;
  roleArnOf: (accountId: string) => string;
}

/** The access a configuration describes. */
export const accountAccessOf = (config: Pick<Config, "region" | "accounts">): AccountAccess => ({
  hubAccountId: config.accounts.hub,
  stsRegion: config.region,
  roleArnOf: (accountId) => targetRoleArn(config.region, accountId, config.accounts.targetRoleName),
});

/** Without a configuration: moto's default account, and no member account wired. */
const HUB_ONLY: AccountAccess = {
  hubAccountId: "123456789012",
  stsRegion: "us-east-1",
  roleArnOf: (accountId) => {
    throw new Error(`No account access is configured for ${accountId}; build the clients with accountAccessOf(config).`);
  },
};

/**
 * Lazily creates and then reuses one set of clients per account and region (clients hold
 * connection pools). Each client is constructed on first use, so a request pays only for the
 * clients it touches. A member account's clients share one credential provider, which assumes the
 * target role once and again shortly before the credentials expire.
 */
export function clientsFrom(factories: ClientFactories, access: AccountAccess = HUB_ONLY): ClientsForRegion {
  const cache = new Map<string, RegionClients>();
  const credentials = new Map<string, AwsCredentialIdentityProvider>();
  const credentialsOf = (accountId: string) => {
    let provider = credentials.get(accountId);
    if (!provider) {
      if (!factories.assumeRole)
        throw new Error("Member accounts are not wired into this function; add assumeRole to its client factories.");
      provider = memberCredentials(factories.assumeRole, accountId, access.roleArnOf(accountId), access.stsRegion);
      credentials.set(accountId, provider);
    }
    return provider;
  };
  return (region, accountId = access.hubAccountId) => {
    const key = `${accountId}/${region}`;
    let clients = cache.get(key);
    if (!clients) {
      // Adaptive retries ride out throttling (the sweeper touches thousands of stacks).
      const own = accountId === access.hubAccountId;
      const options: ClientOptions = {
        region,
        retryMode: "adaptive",
        maxAttempts: 6,
        ...(own ? {} : { credentials: credentialsOf(accountId) }),
      };
      const made: Partial<RegionClients> = {};
      const lazy = <K extends ClientName>(name: K) => ({
        enumerable: true,
        get: (): RegionClients[K] => {
          const factory = factories[name];
          if (!factory) throw new Error(`The ${name} client is not wired into this function; add it to its client factories.`);
          // SSM and IAM are only asked for best-effort facts: fail fast rather than retry for seconds.
          made[name] ??= factory(BEST_EFFORT.has(name) ? { ...options, maxAttempts: 2 } : options, accountId);
          return made[name] as RegionClients[K];
        },
      });
      clients = Object.defineProperties({ region, accountId } as RegionClients, {
        ec2: lazy("ec2"),
        cloudFormation: lazy("cloudFormation"),
        scheduler: lazy("scheduler"),
        ssm: lazy("ssm"),
        iam: lazy("iam"),
        pricing: lazy("pricing"),
      });
      cache.set(key, clients);
    }
    return clients;
  };
}

/** Every client, for tests and local mode. Lambdas use clientsFrom() with only their own, so
 * esbuild drops this function and the SDK packages only it imports. */
export function regionalClients(access?: AccountAccess): ClientsForRegion {
  return clientsFrom({ ec2, cloudFormation, scheduler, ssm, iam, pricing, assumeRole }, access);
}
