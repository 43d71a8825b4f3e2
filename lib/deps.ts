import type { Logger } from "@aws-lambda-powertools/logger";
import { type ClientFactories, type ClientsForRegion, clientsFrom, regionalClients } from "./aws.js";
import { type Config, loadConfig } from "./config.js";
import { KeyedLock } from "./lock.js";
import { logger } from "./logger.js";
import type { Notifier } from "./notifications.js";
import { notifierFor } from "./notify/notifiers.js";
import { type Clock, systemClock } from "./time.js";

/** What the domain needs from the outside world; Lambda, local mode and tests each build one. */
export interface Deps {
  config: Config;
  clock: Clock;
  clients: ClientsForRegion;
  logger: Logger;
  locks: KeyedLock;
  notifier: Notifier;
}

/** Deps around the given clients. It does not refer to regionalClients(), so a bundle that builds
 * its deps here carries only the SDK clients its function names. */
export function depsWith(clients: ClientsForRegion, overrides: Partial<Omit<Deps, "clients">> = {}): Deps {
  const config = overrides.config ?? loadConfig();
  return {
    config,
    clock: overrides.clock ?? systemClock,
    clients,
    logger: overrides.logger ?? logger,
    locks: overrides.locks ?? new KeyedLock(),
    // The notify function when deployed (NOTIFY_FUNCTION_NAME), silent otherwise.
    notifier: overrides.notifier ?? notifierFor(config, overrides.logger ?? logger),
  };
}

export function createDeps(overrides: Partial<Deps> = {}): Deps {
  return depsWith(overrides.clients ?? regionalClients(), overrides);
}

const once = (build: () => Deps): (() => Deps) => {
  let deps: Deps | undefined;
  return () => {
    deps ??= build();
    return deps;
  };
};

/** Builds the dependencies once, on a Lambda's first invocation rather than at import. */
export function lazyDeps(build: () => Deps = createDeps): () => Deps {
  return once(build);
}

/** A Lambda's dependencies with only the clients it uses, built on its first invocation. */
export function lambdaDeps(factories: ClientFactories): () => Deps {
  return once(() => depsWith(clientsFrom(factories)));
}
