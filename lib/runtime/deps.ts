import type { Logger } from "@aws-lambda-powertools/logger";
import { accountAccessOf, type ClientFactories, type ClientsForRegion, clientsFrom, regionalClients } from "../aws/clients.js";
import { type Notifier, silentNotifier } from "../core/session-events.js";
import { type Clock, systemClock } from "../core/time.js";
import { type Config, loadConfig } from "./config.js";
import { KeyedLock } from "./lock.js";
import { logger } from "./logger.js";

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
    notifier: overrides.notifier ?? silentNotifier,
  };
}

export function createDeps(overrides: Partial<Deps> = {}): Deps {
  const config = overrides.config ?? loadConfig();
  return depsWith(overrides.clients ?? regionalClients(accountAccessOf(config)), { ...overrides, config });
}

const once = (build: () => Deps): (() => Deps) => {
  let deps: Deps | undefined;
  return () => {
    deps ??= build();
    return deps;
  };
};

/** How a function that emits session events builds its notifier (lib/notify/notifiers.ts). */
export type NotifierFactory = (config: Config, log: Logger) => Notifier;

/**
 * A Lambda's dependencies with only the clients it uses, built on its first invocation. Functions
 * that emit session events pass `notifierFor`; the others (reads, Slack acknowledgements) stay
 * silent and never load the Lambda client that hands events to the notify function.
 *
 * @example
 * ```ts
 * import { cloudFormation, scheduler } from "../lib/aws/client-factories.js";
 * import { notifierFor } from "../lib/notify/notifiers.js";
 * import { lambdaDeps } from "../lib/runtime/deps.js";
 *
 * // functions/close.ts: only the two clients close calls are bundled.
 * export const createHandler = (deps = lambdaDeps({ cloudFormation, scheduler }, notifierFor)) => …;
 * ```
 */
export function lambdaDeps(factories: ClientFactories, notifier?: NotifierFactory): () => Deps {
  return once(() => {
    const config = loadConfig();
    return depsWith(clientsFrom(factories, accountAccessOf(config)), { config, notifier: notifier?.(config, logger) });
  });
}
