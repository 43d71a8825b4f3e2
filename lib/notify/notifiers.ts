import type { Logger } from "@aws-lambda-powertools/logger";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { invokeAsync } from "../aws/invoke.js";
import { type Notifier, type SessionEvent, silentNotifier } from "../core/session-events.js";
import { BackgroundHandOff } from "../runtime/background.js";
import type { Config } from "../runtime/config.js";

type Log = Pick<Logger, "error" | "warn">;

/**
 * Local mode (and tests): handles each event in the background, so the action that emitted it
 * returns at once whatever the sinks do. `settled()` waits for what is in flight (tests, shutdown).
 */
export function backgroundNotifier(
  handle: (event: SessionEvent) => Promise<unknown>,
  logger: Log,
): Notifier & { settled(): Promise<void> } {
  const handOff = new BackgroundHandOff(handle, (error, event) =>
    logger.error("notification failed", { eventType: event.type, error: error.message }),
  );
  return { notify: handOff.submit, settled: () => handOff.settled() };
}

/**
 * AWS: hands the event to the notify function with an asynchronous invocation and returns. The
 * action waits only for Lambda to accept the event (at most `timeoutMs`), not for any sink: a
 * frozen Lambda would lose fire-and-forget work, and retries with backoff need time the action's
 * caller should not wait for. Never throws: a lost event is logged.
 */
export function lambdaNotifier(lambda: LambdaClient, functionName: string, logger: Log, timeoutMs = 2000): Notifier {
  return {
    notify: async (event) => {
      try {
        await invokeAsync(lambda, functionName, event, timeoutMs);
      } catch (error) {
        logger.error("notification not handed to the notify function", {
          eventType: event.type,
          sessionId: event.session.id,
          error: (error as Error).message,
        });
      }
    },
  };
}

/** What createDeps uses: the notify function when the deployment names one, silence otherwise (local mode brings its own). */
export function notifierFor(config: Config, logger: Log): Notifier {
  const functionName = config.notify.functionName;
  if (!functionName) return silentNotifier;
  return lambdaNotifier(new LambdaClient({ region: config.region, maxAttempts: 2 }), functionName, logger);
}
