import type { Logger } from "@aws-lambda-powertools/logger";
import { type ClientsForRegion, regionalClients } from "./aws.js";
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

export function createDeps(overrides: Partial<Deps> = {}): Deps {
  const config = overrides.config ?? loadConfig();
  return {
    config,
    clock: overrides.clock ?? systemClock,
    clients: overrides.clients ?? regionalClients(),
    logger: overrides.logger ?? logger,
    locks: overrides.locks ?? new KeyedLock(),
    // The notify function when deployed (NOTIFY_FUNCTION_NAME), silent otherwise.
    notifier: overrides.notifier ?? notifierFor(config, overrides.logger ?? logger),
  };
}

/** Builds the dependencies once, on a Lambda's first invocation rather than at import. */
export function lazyDeps(build: () => Deps = createDeps): () => Deps {
  let deps: Deps | undefined;
  return () => {
    deps ??= build();
    return deps;
  };
}
