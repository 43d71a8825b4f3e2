import { readAgent } from "../aws/agents.js";
import { readSessionPreferences } from "../aws/preferences.js";
import { priceBook } from "../aws/pricing.js";
import type { EndpointPrice, OpenFacts } from "../core/open-facts.js";
import type { OpenRequest } from "../core/requests.js";
import type { Deps } from "../runtime/deps.js";

/** The reads an open makes besides the VPC's: each needs only the request, so none waits for another. */
export interface EarlyReads {
  /** SSM's view of the named instance's agent, and the account's Session Manager preferences. */
  facts: Promise<OpenFacts>;
  /** The endpoint-hour price in the session's region (cached per warm Lambda; ENDPOINT_HOURLY_USD when it cannot be had). */
  price: Promise<EndpointPrice>;
}

/**
 * Starts them at once, beside DescribeInstances, so they cost the open no round trip of its own
 * (bench/budgets.ts: at most four): the plan needs their answers before the stack is created.
 * None of them rejects: a failed read is `unknown`, a failed price the configured one.
 */
export function startEarlyReads(deps: Deps, request: OpenRequest, region: string): EarlyReads {
  const { config, logger } = deps;
  const ssm = deps.clients(region).ssm;
  const agent = request.instanceId ? readAgent(ssm, request.instanceId) : Promise.resolve(undefined);
  const facts = Promise.all([agent, readSessionPreferences(ssm)]).then(([agent, preferences]) => ({ agent, preferences }));
  const price = priceBook.price(deps.clients(config.region).pricing, region, config.endpointHourlyUsd, (reason) =>
    logger.warn("endpoint price not read from the Price List; using ENDPOINT_HOURLY_USD", { region, reason }),
  );
  return { facts, price };
}
