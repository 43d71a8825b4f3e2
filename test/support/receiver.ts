import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: assertions read whatever JSON arrived, field by field
  json: any;
}

/** How the receiver answers one request: a status (with a JSON body, if given), no answer at all (a dead sink), or a cut connection. */
export type Answer = { status: number; json?: string } | "hang" | "reset";

/**
 * A real HTTP server on 127.0.0.1 (port 0) standing in for Slack's response_url and incoming
 * webhook and for a generic webhook receiver. It records every request and answers from a
 * script (default 200), so tests see exactly what went over the wire.
 */
export async function startReceiver() {
  const received: Received[] = [];
  const script: Answer[] = [];
  const waiters: { done: () => boolean; resolve: () => void }[] = [];
  const hanging = new Set<import("node:http").ServerResponse>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      received.push({ path: request.url ?? "/", headers: request.headers, body, json });
      for (const waiter of [...waiters]) {
        if (waiter.done()) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
      const answer = script.shift() ?? { status: 200 };
      if (answer === "hang") {
        hanging.add(response);
        return;
      }
      if (answer === "reset") {
        request.socket.destroy();
        return;
      }
      if (answer.json !== undefined) response.writeHead(answer.status, { "content-type": "application/json" }).end(answer.json);
      else response.writeHead(answer.status, { "content-type": "text/plain" }).end(answer.status < 300 ? "ok" : "nope");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const waitUntil = (done: () => boolean, what: string, timeoutMs: number) =>
    done()
      ? Promise.resolve()
      : new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`${what} did not arrive within ${timeoutMs} ms (${received.length} in all)`)),
            timeoutMs,
          );
          waiters.push({
            done,
            resolve: () => {
              clearTimeout(timer);
              resolve();
            },
          });
        });
  return {
    received,
    url: (path = "/") => `${base}${path}`,
    /** Answers the next requests in this order, then 200s again. */
    answer: (...answers: Answer[]) => script.push(...answers),
    /** Resolves once `count` requests in all have arrived (or rejects after `timeoutMs`). */
    waitFor: (count: number, timeoutMs = 5000) => waitUntil(() => received.length >= count, `${count} requests`, timeoutMs),
    /** Resolves once `count` requests to `path` have arrived, whatever else arrives first. */
    waitForPath: (path: string, count = 1, timeoutMs = 5000) =>
      waitUntil(() => received.filter((r) => r.path === path).length >= count, `${count} requests to ${path}`, timeoutMs),
    on: (path: string) => received.filter((request) => request.path === path),
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
