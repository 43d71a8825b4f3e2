import { deleteSessionTimers } from "../aws/schedules.js";
import type { Bill, Session } from "../core/session.js";
import { isoSeconds } from "../core/time.js";
import type { Deps } from "../runtime/deps.js";
import { billOfStack } from "./bill.js";
import { deleteSessionStack, locateSession } from "./record.js";
import { sessionOfStack } from "./shape.js";

/**
 * Closes now: deletes the stack and its timers, and tells what the session cost. Closing a
 * session already closing is fine (its bill then runs to this request).
 */
export async function closeSession(deps: Deps, id: string, requester: string): Promise<{ session: Session; bill: Bill }> {
  return deps.locks.run(id, async () => {
    const located = await locateSession(deps, id);
    const { config } = deps;
    if (located.stack.StackStatus !== "DELETE_IN_PROGRESS") await deleteSessionStack(deps, located, located.stackName);
    await deleteSessionTimers(deps.clients(config.region).scheduler, config, id, located.accountId);
    const now = deps.clock();
    const bill = billOfStack(deps, located.stack, located, now);
    deps.logger.info("session closed", { sessionId: id, accountId: located.accountId, by: requester, bill });
    const session = { ...sessionOfStack(deps, located.stack, located), status: "closing" as const };
    await deps.notifier.notify({ type: "session.closed", session, actor: requester, reason: "closed", at: isoSeconds(now), bill });
    return { session, bill };
  });
}
