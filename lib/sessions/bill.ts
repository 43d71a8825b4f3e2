import type { Stack } from "@aws-sdk/client-cloudformation";
import type { Bill, StackPlace } from "../core/session.js";
import { billFor } from "../cost/bill.js";
import type { Deps } from "../runtime/deps.js";
import { priceOf } from "./shape.js";
import { specFromStack } from "./stack-record.js";

/**
 * The bill of a session whose stack is being deleted at `closedAt`: from CloudFormation's
 * CreationTime (the endpoints' creation began there), its Interface endpoints in every AZ, at the
 * price recorded at its open. The endpoints and AZs are the session's last ones: one a join added
 * is counted from the start, so the bill errs high, never low.
 */
export function billOfStack(deps: Pick<Deps, "config">, stack: Stack, place: StackPlace, closedAt: Date): Bill {
  const spec = specFromStack(stack, place);
  return billFor({
    services: spec.services,
    availabilityZones: spec.subnetIds.length,
    openedAt: stack.CreationTime ?? spec.createdAt,
    closedAt,
    pricePerEndpointHourUsd: priceOf(spec, deps.config.endpointHourlyUsd).usd,
  });
}
