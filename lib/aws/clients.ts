import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { IAMClient } from "@aws-sdk/client-iam";
import type { PricingClient } from "@aws-sdk/client-pricing";
import type { SchedulerClient } from "@aws-sdk/client-scheduler";
import type { SSMClient } from "@aws-sdk/client-ssm";
import { cloudFormation, ec2, iam, pricing, scheduler, ssm } from "./client-factories.js";

/** The AWS clients of one region. The SDK reads AWS_ENDPOINT_URL itself, which is how the
 * same code talks to moto in tests and local mode. */
export interface RegionClients {
  region: string;
  ec2: EC2Client;
  cloudFormation: CloudFormationClient;
  scheduler: SchedulerClient;
  ssm: SSMClient;
  /** Global, but asked through the region's endpoint like the others (the readiness role check). */
  iam: IAMClient;
  /** The Price List Query API: answered in us-east-1 only (the factory pins it), whatever this region. */
  pricing: PricingClient;
}

export type ClientsForRegion = (region: string) => RegionClients;

type ClientName = Exclude<keyof RegionClients, "region">;
const BEST_EFFORT = new Set<ClientName>(["ssm", "iam"]);
/** What every client is constructed with. */
export type ClientOptions = { region: string; retryMode: string; maxAttempts: number };

/** How to construct each client a function uses. A Lambda names only the clients it calls, so
 * its bundle carries (and its cold start parses) only those SDK packages. */
export type ClientFactories = { [K in ClientName]?: (options: ClientOptions) => RegionClients[K] };

/**
 * Lazily creates and then reuses one set of clients per region (clients hold connection pools).
 * Each client is constructed on first use, so a request pays only for the clients it touches.
 */
export function clientsFrom(factories: ClientFactories): ClientsForRegion {
  const cache = new Map<string, RegionClients>();
  return (region) => {
    let clients = cache.get(region);
    if (!clients) {
      // Adaptive retries ride out throttling (the sweeper touches thousands of stacks).
      const options = { region, retryMode: "adaptive", maxAttempts: 6 };
      const made: Partial<RegionClients> = {};
      const lazy = <K extends ClientName>(name: K) => ({
        enumerable: true,
        get: (): RegionClients[K] => {
          const factory = factories[name];
          if (!factory) throw new Error(`The ${name} client is not wired into this function; add it to its client factories.`);
          // SSM and IAM are only asked for best-effort facts: fail fast rather than retry for seconds.
          made[name] ??= factory(BEST_EFFORT.has(name) ? { ...options, maxAttempts: 2 } : options);
          return made[name] as RegionClients[K];
        },
      });
      clients = Object.defineProperties({ region } as RegionClients, {
        ec2: lazy("ec2"),
        cloudFormation: lazy("cloudFormation"),
        scheduler: lazy("scheduler"),
        ssm: lazy("ssm"),
        iam: lazy("iam"),
        pricing: lazy("pricing"),
      });
      cache.set(region, clients);
    }
    return clients;
  };
}

/** Every client, for tests and local mode. Lambdas use clientsFrom() with only their own, so
 * esbuild drops this function and the SDK packages only it imports. */
export function regionalClients(): ClientsForRegion {
  return clientsFrom({ ec2, cloudFormation, scheduler, ssm, iam, pricing });
}
