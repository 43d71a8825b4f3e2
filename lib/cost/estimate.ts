import type { EndpointService } from "../core/endpoint-services.js";
import type { SessionSpec } from "../core/session.js";

/** Interface endpoints are billed per hour per AZ; the S3 Gateway endpoint is free. */
export const isBilled = (service: EndpointService) => service !== "s3";

const HOUR = 3_600_000;

/** Endpoint-hours times the hourly price; AWS bills a partial hour as a full one. */
export function estimateCostUsd(spec: SessionSpec, hourlyUsd: number): number {
  const billed = spec.services.filter(isBilled).length * Math.max(1, spec.subnetIds.length);
  const hours = Math.max(1, Math.ceil((spec.expiresAt.getTime() - spec.createdAt.getTime()) / HOUR));
  return Math.round(billed * hours * hourlyUsd * 1000) / 1000;
}
