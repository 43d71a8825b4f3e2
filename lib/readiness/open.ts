import { gatherReadinessFacts } from "../aws/readiness-facts.js";
import { formatDuration } from "../core/duration.js";
import type { OpenRequest } from "../core/requests.js";
import type { Deps } from "../runtime/deps.js";
import { type OpenResult, openSession } from "../sessions/open.js";
import { openWarnings } from "./open-warnings.js";

/**
 * Opens access (lib/sessions/open.ts) and, for a named instance, reads its readiness facts at the
 * same time, so the reply warns of what would keep the agent from connecting (and when it will
 * likely try again) at no extra round trip. A failed read only means fewer warnings.
 */
export async function openWithReadiness(deps: Deps, request: OpenRequest, requester: string): Promise<OpenResult> {
  const region = request.region ?? deps.config.region;
  const accountId = request.accountId ?? deps.config.accounts.hub;
  // Only where the open may act: an account or a region it refuses gets no read either.
  const allowed = deps.config.accounts.allowed.includes(accountId) && deps.config.allowedRegions.includes(region);
  const clients = allowed && request.instanceId ? deps.clients(region, accountId) : undefined;
  const reading =
    clients && request.instanceId
      ? gatherReadinessFacts({ ec2: clients.ec2, ssm: clients.ssm, iam: clients.iam }, { region, instanceIds: [request.instanceId] }).catch(
          (error) => {
            deps.logger.warn("readiness facts not read at open", { error: (error as Error).message });
            return [];
          },
        )
      : Promise.resolve([]);
  const result = await openSession(deps, request, requester).finally(() => reading.catch(() => undefined));
  const [facts] = await reading;
  if (result.outcome === "already_reachable" || !facts) return result;
  const options = { restartAgent: request.restartAgent === "if-offline", graceText: formatDuration(deps.config.readiness.agentGraceMs) };
  return { ...result, warnings: [...result.warnings, ...openWarnings(facts, result.session, options, deps.clock())] };
}
