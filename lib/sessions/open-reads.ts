import { readAgent } from "../aws/agents.js";
import { readSessionPreferences } from "../aws/preferences.js";
import { priceBook } from "../aws/pricing.js";
import type { EndpointPrice, OpenFacts } from "../core/open-facts.js";
import type { StackPlace } from "../core/session.js";
import type { Deps } from "../runtime/deps.js";

/** What the open needs besides the VPC's facts to decide its endpoints and price them. */
export interface OpenReads {
  /** SSM's view of the named instance's agent, and the account's Session Manager preferences. */
  facts: OpenFacts;
  /** The endpoint-hour price in the session's region (cached per warm Lambda; ENDPOINT_HOURLY_USD when it cannot be had). */
  price: EndpointPrice;
}

/**
 * Starts those reads. Each needs only the request, so the open starts them beside its
 * DescribeInstances and awaits them with the VPC's round: they cost no round trip of their own
 * (bench/budgets.ts: at most four), and the plan has their answers before the stack is created.
 * Never rejects: a failed read is `unknown`, a failed price the configured one.
 */
export async function readOpenFacts(deps: Deps, place: StackPlace, instanceId: string | undefined): Promise<OpenReads> {
  const { config, logger } = deps;
  const { region } = place;
  // The agent and the preferences are the session's account's; the price is public (asked from the hub).
  const ssm = deps.clients(region, place.accountId).ssm;
  const [agent, preferences, price] = await Promise.all([
    instanceId ? readAgent(ssm, instanceId) : undefined,
    readSessionPreferences(ssm),
    priceBook.price(deps.clients(config.region).pricing, region, config.endpointHourlyUsd, (reason) =>
      logger.warn("endpoint price not read from the Price List; using ENDPOINT_HOURLY_USD", { region, reason }),
    ),
  ]);
  return { facts: { agent, preferences }, price };
}
