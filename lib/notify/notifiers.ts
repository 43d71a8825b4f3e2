import type { Logger } from "@aws-lambda-powertools/logger";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { type Notifier, type SessionEvent, silentNotifier } from "../core/session-events.js";
import { BackgroundTasks } from "../runtime/background.js";
import type { Config } from "../runtime/config.js";

type Log = Pick<Logger, "error" | "warn">;

/**
 * Local mode (and tests): handles each event in the background, so the action that emitted it
 * returns at once whatever the sinks do. `settled()` waits for what is in flight (tests, shutdown).
 */
export class BackgroundNotifier implements Notifier {
  private readonly tasks: BackgroundTasks;

  constructor(
    private readonly handle: (event: SessionEvent) => Promise<unknown>,
    logger: Log,
  ) {
    this.tasks = new BackgroundTasks((error, context) => logger.error("notification failed", { ...context, error: error.message }));
  }

  async notify(event: SessionEvent): Promise<void> {
    this.tasks.start(() => this.handle(event), { eventType: event.type });
  }

  settled(): Promise<void> {
    return this.tasks.settled();
  }
}

/**
 * AWS: hands the event to the notify function with an asynchronous invocation and returns. The
 * action waits only for Lambda to accept the event (tens of ms; at most `timeoutMs`), not for any
 * sink: a frozen Lambda would lose fire-and-forget work, and retries with backoff need time the
 * action's caller should not wait for. Lambda retries the notify function itself on a crash.
 */
export function lambdaNotifier(lambda: LambdaClient, functionName: string, logger: Log, timeoutMs = 2000): Notifier {
  return {
    notify: async (event) => {
      try {
        await lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: "Event", Payload: JSON.stringify(event) }), {
          abortSignal: AbortSignal.timeout(timeoutMs),
        });
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
