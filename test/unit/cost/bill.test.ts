import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EndpointService } from "../../../lib/core/endpoint-services.js";
import { billFor } from "../../../lib/cost/bill.js";

const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;

describe("billFor", () => {
  it("bills each Interface endpoint per AZ per started hour, and the S3 Gateway endpoint not at all", () => {
    // 2 Interface endpoints (s3 is free) x 2 AZs x 3 started hours (2h01m) x USD 0.014
    const bill = billFor({
      services: ["ssm", "ssmmessages", "s3"],
      availabilityZones: 2,
      openedAt: at("2026-11-30T10:00:00Z"),
      closedAt: at("2026-11-30T12:01:00Z"),
      pricePerEndpointHourUsd: 0.014,
    });
    expect(bill).toEqual({
      endpointHours: 12,
      usd: 0.168,
      openedAt: "2026-11-30T10:00:00Z",
      closedAt: "2026-11-30T12:01:00Z",
      startedHours: 3,
      interfaceEndpoints: 2,
      availabilityZones: 2,
      pricePerEndpointHourUsd: 0.014,
    });
  });

  it("bills a session closed at once, or on a clock behind CloudFormation's, one started hour", () => {
    const base = {
      services: ["ssm", "ssmmessages", "ec2messages"] as EndpointService[],
      availabilityZones: 1,
      pricePerEndpointHourUsd: 0.01,
    };
    expect(billFor({ ...base, openedAt: at("2026-11-30T10:00:00Z"), closedAt: at("2026-11-30T10:00:00Z") }).endpointHours).toBe(3);
    expect(billFor({ ...base, openedAt: at("2026-11-30T10:00:00Z"), closedAt: at("2026-11-30T09:59:00Z") }).startedHours).toBe(1);
    expect(billFor({ ...base, openedAt: at("2026-11-30T10:00:00Z"), closedAt: at("2026-11-30T11:00:00Z") }).startedHours).toBe(1);
    expect(billFor({ ...base, openedAt: at("2026-11-30T10:00:00Z"), closedAt: at("2026-11-30T11:00:01Z") }).startedHours).toBe(2);
  });

  it("is endpoints x AZs x started hours x price for any session (property)", () => {
    const services = fc.subarray(["ssm", "ssmmessages", "ec2messages", "kms", "logs", "s3"] as EndpointService[]);
    fc.assert(
      fc.property(
        services,
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 24 * HOUR }),
        fc.constantFrom(0.01, 0.011, 0.013, 0.014, 0.0125),
        (chosen, zones, lastedMs, price) => {
          const openedAt = at("2026-11-30T10:00:00Z");
          const bill = billFor({
            services: chosen,
            availabilityZones: zones,
            openedAt,
            closedAt: new Date(openedAt.getTime() + lastedMs),
            pricePerEndpointHourUsd: price,
          });
          const interfaces = chosen.filter((service) => service !== "s3").length;
          // A started hour: the smallest whole number of hours that covers the span, at least one.
          expect(bill.startedHours * HOUR).toBeGreaterThanOrEqual(lastedMs);
          expect((bill.startedHours - 1) * HOUR < lastedMs || bill.startedHours === 1).toBe(true);
          expect(bill.endpointHours).toBe(interfaces * zones * bill.startedHours);
          expect(Math.abs(bill.usd - bill.endpointHours * price)).toBeLessThanOrEqual(0.00005);
          expect(bill.usd).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});
