import { GetProductsCommand, PricingClient } from "@aws-sdk/client-pricing";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { endpointHourUsageType } from "../../../lib/aws/billing-codes.js";
import { PriceBook } from "../../../lib/aws/pricing.js";

// moto has no Price List Query API: GetProducts is tested at the client boundary, with answers in
// the shape AWS gives (each product a JSON string, OnDemand terms keyed by SKU and offer).
const product = (usagetype: string, usd: string, regionCode = "ap-northeast-1", unit = "Hrs") =>
  JSON.stringify({
    product: { productFamily: "VpcEndpoint", attributes: { usagetype, regionCode, operation: "VpcEndpoint", servicecode: "AmazonVPC" } },
    terms: {
      OnDemand: {
        "SKU1.JRTCKXETXF": {
          priceDimensions: { "SKU1.JRTCKXETXF.6YS6EN2CT7": { unit, description: "per VPC endpoint hour", pricePerUnit: { USD: usd } } },
        },
      },
    },
  });

const pricing = mockClient(PricingClient);
const client = () => new PricingClient({ region: "us-east-1" });
let now = 0;
const book = () => new PriceBook({ now: () => now, maxAgeMs: 24 * 3_600_000, failureMaxAgeMs: 300_000 });

beforeEach(() => {
  pricing.reset();
  now = Date.parse("2026-11-30T10:00:00Z");
});

describe("the endpoint price from the Price List", () => {
  it("asks GetProducts for AmazonVPC's <billing code>-VpcEndpoint-Hours and reads the hourly USD", async () => {
    pricing.on(GetProductsCommand).resolves({ PriceList: [product("APN1-VpcEndpoint-Hours", "0.0140000000")] });
    expect(await book().price(client(), "ap-northeast-1", 0.01)).toEqual({ usd: 0.014, source: "price-list" });
    const [call] = pricing.commandCalls(GetProductsCommand);
    expect(call.args[0].input).toEqual({
      ServiceCode: "AmazonVPC",
      FormatVersion: "aws_v1",
      Filters: [{ Type: "TERM_MATCH", Field: "usagetype", Value: "APN1-VpcEndpoint-Hours" }],
    });
  });

  it("names each region's usage type by its billing code (Ireland is EU, N. Virginia USE1)", () => {
    expect(endpointHourUsageType("us-east-1")).toBe("USE1-VpcEndpoint-Hours");
    expect(endpointHourUsageType("eu-west-1")).toBe("EU-VpcEndpoint-Hours");
    expect(endpointHourUsageType("ap-south-1")).toBe("APS3-VpcEndpoint-Hours");
    expect(endpointHourUsageType("xx-nowhere-1")).toBeUndefined();
  });

  it("reads every page, ignores other usage types, regions and units, and takes the highest hourly price", async () => {
    pricing
      .on(GetProductsCommand)
      .resolvesOnce({ PriceList: [product("APN1-VpcEndpoint-Bytes", "0.01", "ap-northeast-1", "GB")], NextToken: "page-2" })
      .resolvesOnce({
        PriceList: [
          product("APN1-VpcEndpoint-Hours", "0.0150000000", "us-east-1"),
          product("APN1-VpcEndpoint-Hours", "0.0140000000"),
          product("APN1-VpcEndpoint-Hours", "0.0130000000"),
        ],
      });
    expect(await book().price(client(), "ap-northeast-1", 0.01)).toEqual({ usd: 0.014, source: "price-list" });
    expect(pricing.commandCalls(GetProductsCommand)).toHaveLength(2);
    expect(pricing.commandCalls(GetProductsCommand)[1].args[0].input.NextToken).toBe("page-2");
  });

  it("keeps a price for its maximum age, and one lookup serves concurrent asks", async () => {
    pricing.on(GetProductsCommand).resolves({ PriceList: [product("APN1-VpcEndpoint-Hours", "0.014")] });
    const prices = book();
    const [a, b] = await Promise.all([prices.price(client(), "ap-northeast-1", 0.01), prices.price(client(), "ap-northeast-1", 0.01)]);
    expect(a).toEqual(b);
    now += 23 * 3_600_000;
    await prices.price(client(), "ap-northeast-1", 0.01);
    expect(pricing.commandCalls(GetProductsCommand)).toHaveLength(1);
    now += 2 * 3_600_000;
    await prices.price(client(), "ap-northeast-1", 0.01);
    expect(pricing.commandCalls(GetProductsCommand)).toHaveLength(2);
  });

  it("falls back to the configured price when the API is unreachable, says why, and asks again after five minutes", async () => {
    pricing
      .on(GetProductsCommand)
      .rejectsOnce(Object.assign(new Error("connect ETIMEDOUT"), { name: "TimeoutError", $metadata: {} }))
      .resolves({ PriceList: [product("APN1-VpcEndpoint-Hours", "0.014")] });
    const prices = book();
    const reasons: string[] = [];
    expect(await prices.price(client(), "ap-northeast-1", 0.012, (reason) => reasons.push(reason))).toEqual({
      usd: 0.012,
      source: "configured",
    });
    expect(reasons[0]).toMatch(/TimeoutError/);
    now += 60_000;
    expect((await prices.price(client(), "ap-northeast-1", 0.012)).source).toBe("configured");
    now += 300_000;
    expect(await prices.price(client(), "ap-northeast-1", 0.012)).toEqual({ usd: 0.014, source: "price-list" });
  });

  it("falls back when the Price List has no such product, or the region no billing code", async () => {
    pricing.on(GetProductsCommand).resolves({ PriceList: [] });
    const reasons: string[] = [];
    const prices = book();
    expect(await prices.price(client(), "ap-northeast-1", 0.01, (r) => reasons.push(r))).toEqual({ usd: 0.01, source: "configured" });
    expect(await prices.price(client(), "xx-nowhere-1", 0.01, (r) => reasons.push(r))).toEqual({ usd: 0.01, source: "configured" });
    expect(reasons).toEqual(["the Price List has no hourly price for APN1-VpcEndpoint-Hours", "no billing code is known for xx-nowhere-1"]);
    expect(pricing.commandCalls(GetProductsCommand)).toHaveLength(1);
  });
});
