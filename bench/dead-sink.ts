import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { backgroundNotifier } from "../lib/notify/notifiers.js";
import { handleSessionEvent } from "../lib/notify/pipeline.js";
import { loadConfig } from "../lib/runtime/config.js";
import { createDeps } from "../lib/runtime/deps.js";
import { sampleEvent, sampleSession } from "../test/support/session-fixture.js";
import { median } from "./stats.js";

export interface DeadSinkFigures {
  runs: number;
  /** How long `notify` took to return to the action, while both sinks never answered. */
  medianMs: number;
  maxMs: number;
  /** Requests the dead sinks received (each delivery tried twice: NOTIFY_RETRIES=1). */
  requests: number;
}

/**
 * The action's side of a dead sink: a Slack webhook and a generic webhook on 127.0.0.1 that take
 * every request and never answer. `notify` hands the event to the background and must return at
 * once; the deliveries time out (NOTIFY_TIMEOUT_MS=200) and are retried out of the action's way.
 * This is the figure test/unit/notify/sinks.slack.test.ts leaves to the bench (tests never time).
 */
export async function measureDeadSink(runs: number): Promise<DeadSinkFigures> {
  const hanging = new Set<ServerResponse>();
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    request.resume();
    hanging.add(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const deps = createDeps({ config: loadConfig({ NOTIFY_TIMEOUT_MS: "200", NOTIFY_RETRIES: "1" }), logger: silent as never });
  const secrets = async () => ({ slackWebhookUrl: `${url}/slack`, webhookUrl: `${url}/hook`, webhookSecret: "bench" });
  const notifier = backgroundNotifier((event) => handleSessionEvent(deps, secrets, event), silent);
  const event = sampleEvent("session.closed", { reason: "expired", session: sampleSession({ status: "closing" }) });
  const took: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      await notifier.notify(event);
      took.push(performance.now() - started);
    }
    await notifier.settled();
  } finally {
    for (const response of hanging) response.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return { runs, medianMs: median(took), maxMs: Math.max(...took), requests };
}
