import { type PricingClient, paginateGetProducts } from "@aws-sdk/client-pricing";
import type { EndpointPrice } from "../core/open-facts.js";
import { endpointHourUsageType } from "./billing-codes.js";
import { failure } from "./iam-facts.js";

/**
 * The hourly price of an Interface endpoint (per AZ) in a region, from the AWS Price List Query
 * API: GetProducts on service AmazonVPC, usage type `<billing code>-VpcEndpoint-Hours`. The API
 * answers only in a few regions (us-east-1 for the commercial partition): the client is pinned
 * there (lib/aws/client-factories.ts), whatever the session's region.
 */

/** One product of the Price List as GetProducts returns it (a JSON string per product). */
interface PriceListProduct {
  product?: { attributes?: Record<string, string> };
  terms?: { OnDemand?: Record<string, { priceDimensions?: Record<string, { unit?: string; pricePerUnit?: { USD?: string } }> }> };
}

/**
 * The hourly USD price among GetProducts' answers for that usage type; undefined when none has
 * one. Where several products carry the usage type, the highest price is used: a bill that errs
 * says too much, never too little.
 */
export function hourlyUsdOf(priceList: (string | object)[], usageType: string, region: string): number | undefined {
  const prices: number[] = [];
  for (const entry of priceList) {
    let item: PriceListProduct;
    try {
      item = (typeof entry === "string" ? JSON.parse(entry) : entry) as PriceListProduct;
    } catch {
      continue;
    }
    const attributes = item.product?.attributes ?? {};
    if (attributes.usagetype !== usageType || (attributes.regionCode && attributes.regionCode !== region)) continue;
    for (const offer of Object.values(item.terms?.OnDemand ?? {})) {
      for (const dimension of Object.values(offer.priceDimensions ?? {})) {
        const usd = Number(dimension.pricePerUnit?.USD);
        if (/^hrs?$/i.test(dimension.unit ?? "") && Number.isFinite(usd) && usd > 0) prices.push(usd);
      }
    }
  }
  return prices.length ? Math.max(...prices) : undefined;
}

/** Reads the price; throws when the API fails or has no such product (the caller falls back). */
export async function readEndpointHourlyUsd(pricing: PricingClient, region: string): Promise<number> {
  const usageType = endpointHourUsageType(region);
  if (!usageType) throw new Error(`no billing code is known for ${region}`);
  const priceList: (string | object)[] = [];
  const pages = paginateGetProducts(
    { client: pricing },
    { ServiceCode: "AmazonVPC", FormatVersion: "aws_v1", Filters: [{ Type: "TERM_MATCH", Field: "usagetype", Value: usageType }] },
  );
  for await (const page of pages) priceList.push(...((page.PriceList ?? []) as (string | object)[]));
  const usd = hourlyUsdOf(priceList, usageType, region);
  if (usd === undefined) throw new Error(`the Price List has no hourly price for ${usageType}`);
  return usd;
}

const HOUR = 3_600_000;

export interface PriceBookOptions {
  /** How long a price from the Price List is kept (AWS changes these prices rarely, and announces it). */
  maxAgeMs: number;
  /** How long the configured price stands in after a failed lookup, before the API is asked again. */
  failureMaxAgeMs: number;
  now: () => number;
}

/**
 * Prices per region, cached like Powertools' parameter providers cache values: per warm Lambda
 * (module scope), each entry for a maximum age, concurrent asks for one region sharing one
 * lookup. A failed lookup answers the configured price and is retried after `failureMaxAgeMs`.
 */
export class PriceBook {
  private readonly entries = new Map<string, { price: Promise<EndpointPrice>; until: number }>();
  private readonly options: PriceBookOptions;

  constructor(options: Partial<PriceBookOptions> = {}) {
    this.options = { maxAgeMs: 24 * HOUR, failureMaxAgeMs: 5 * 60_000, now: Date.now, ...options };
  }

  /** The price in `region`: the Price List's, or `configuredUsd` when it cannot be had (`onFallback` hears why). */
  price(pricing: PricingClient, region: string, configuredUsd: number, onFallback?: (reason: string) => void): Promise<EndpointPrice> {
    const now = this.options.now();
    const cached = this.entries.get(region);
    if (cached && cached.until > now) return cached.price;
    const entry = {
      price: Promise.resolve<EndpointPrice>({ usd: configuredUsd, source: "configured" }),
      until: now + this.options.maxAgeMs,
    };
    entry.price = readEndpointHourlyUsd(pricing, region).then(
      (usd): EndpointPrice => ({ usd, source: "price-list" }),
      (error): EndpointPrice => {
        entry.until = this.options.now() + this.options.failureMaxAgeMs;
        onFallback?.(error instanceof Error && !("$metadata" in error) ? error.message : failure(error));
        return { usd: configuredUsd, source: "configured" };
      },
    );
    this.entries.set(region, entry);
    return entry.price;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** The warm Lambda's prices. */
export const priceBook = new PriceBook();
