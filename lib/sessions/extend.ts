import { ConflictError } from "../core/errors.js";
import { isLive, type Session, statusOfStack } from "../core/session.js";
import { ceilToMinute, isoSeconds } from "../core/time.js";
import type { Deps } from "../runtime/deps.js";
import { assertWithinLifetime } from "./policy.js";
import { applySpec, type LocatedSession, locateSession } from "./record.js";
import { sessionOfStack, toSession } from "./shape.js";
import { specFromStack } from "./stack-record.js";
import { resolveTtl } from "./ttl.js";

/** Joining or extending needs a session whose endpoints exist or are being made. */
function assertLive(located: LocatedSession): void {
  if (!isLive(located.stack.StackStatus)) {
    const status = statusOfStack(located.stack.StackStatus);
    throw new ConflictError(`The session is ${status} (${located.stack.StackStatus}); open a new one instead.`, "session_closing");
  }
}

/**
 * Moves the expiry to now + ttl, never earlier than it is, and never past the maximum lifetime
 * counted from the session's creation. The stack's ExpiresAt and the timer move together.
 */
export async function extendSession(deps: Deps, id: string, ttl: string | number, requester: string): Promise<Session> {
  const ttlMs = resolveTtl(ttl, deps.config.ttl);
  return deps.locks.run(id, async () => {
    const located = await locateSession(deps, id);
    assertLive(located);
    const spec = specFromStack(located.stack, located);
    const requested = ceilToMinute(new Date(deps.clock().getTime() + ttlMs));
    assertWithinLifetime(spec.createdAt, requested, deps.config.maxLifetimeMs, deps.clock());
    if (requested <= spec.expiresAt) return sessionOfStack(deps, located.stack, located);
    const extended = { ...spec, expiresAt: requested };
    await applySpec(deps, extended, located.stackName, spec.expiresAt);
    deps.logger.info("session extended", { sessionId: id, expiresAt: isoSeconds(requested), by: requester });
    const session = toSession(
      { spec: extended, stackName: located.stackName, stackStatus: located.stack.StackStatus, stackCreatedAt: located.stack.CreationTime },
      deps.clock(),
      deps.config.endpointHourlyUsd,
    );
    await deps.notifier.notify({ type: "session.extended", session, actor: requester, at: isoSeconds(deps.clock()) });
    return session;
  });
}
