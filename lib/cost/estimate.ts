import type { SessionSpec } from "../core/session.js";
import { billFor } from "./bill.js";

/** The bill the session will have if it lasts until its expiry: the same formula as the real one. */
export function estimateCostUsd(spec: SessionSpec, hourlyUsd: number): number {
  return billFor({
    services: spec.services,
    availabilityZones: spec.subnetIds.length,
    openedAt: spec.createdAt,
    closedAt: spec.expiresAt,
    pricePerEndpointHourUsd: hourlyUsd,
  }).usd;
}
