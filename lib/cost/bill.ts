import type { EndpointService } from "../core/endpoint-services.js";
import type { Bill } from "../core/session.js";
import { isoSeconds } from "../core/time.js";

/** Interface endpoints are billed per hour per AZ; the S3 Gateway endpoint is free. */
export const isBilled = (service: EndpointService) => service !== "s3";

const HOUR = 3_600_000;

export interface BillInput {
  services: EndpointService[];
  /** AZs the endpoints are in: one subnet each. */
  availabilityZones: number;
  openedAt: Date;
  closedAt: Date;
  pricePerEndpointHourUsd: number;
}

/** Rounded to a hundredth of a cent: enough for per-hour prices of a tenth of a cent, without float noise. */
export const roundUsd = (usd: number) => Math.round(usd * 10_000) / 10_000;

/**
 * AWS bills an Interface endpoint per AZ per started hour, from its creation to its deletion: a
 * partial hour is a full one, and a span of no time still started one. Pure.
 */
export function billFor(input: BillInput): Bill {
  const interfaceEndpoints = input.services.filter(isBilled).length;
  const availabilityZones = Math.max(1, input.availabilityZones);
  const startedHours = Math.max(1, Math.ceil((input.closedAt.getTime() - input.openedAt.getTime()) / HOUR));
  const endpointHours = interfaceEndpoints * availabilityZones * startedHours;
  return {
    endpointHours,
    usd: roundUsd(endpointHours * input.pricePerEndpointHourUsd),
    openedAt: isoSeconds(input.openedAt),
    closedAt: isoSeconds(input.closedAt),
    startedHours,
    interfaceEndpoints,
    availabilityZones,
    pricePerEndpointHourUsd: input.pricePerEndpointHourUsd,
  };
}
