import { createServer } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DeliveryError, postWithRetry } from "../../../lib/runtime/post.js";
import { type Receiver, startReceiver } from "../../support/receiver.js";

// postWithRetry against a real HTTP receiver on 127.0.0.1: which answers are worth another
// attempt (5xx, 429 Too Many Requests, 408 Request Timeout, a cut or refused connection, no
// answer in time) and which are final (any other 4xx).

const fast = { timeoutMs: 300, retries: 2, minBackoffMs: 5 };
let receiver: Receiver;

beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

/** A port on 127.0.0.1 that nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as DeliveryError,
  );

describe("postWithRetry", () => {
  it.each([
    [429, "Too Many Requests"],
    [408, "Request Timeout"],
    [503, "Service Unavailable"],
  ])("retries a %i (%s) and succeeds on the next attempt, sending the same body", async (status) => {
    receiver.answer({ status });
    const result = await postWithRetry(receiver.url("/hook"), '{"n":1}', fast);
    expect(result).toEqual({ status: 200, attempts: 2 });
    expect(receiver.received.map((r) => r.body)).toEqual(['{"n":1}', '{"n":1}']);
  });

  it("retries a connection cut before any answer", async () => {
    receiver.answer("reset");
    expect(await postWithRetry(receiver.url("/hook"), "{}", fast)).toEqual({ status: 200, attempts: 2 });
    expect(receiver.received).toHaveLength(2);
  });

  it("retries a refused connection, then gives up saying how often it tried, never naming the URL", async () => {
    const url = `http://127.0.0.1:${await closedPort()}/secret-token`;
    const error = await failure(postWithRetry(url, "{}", fast));
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error?.message).toBe("connection failed after 3 attempts");
    expect(error?.attempts).toBe(3);
    expect(error?.message).not.toContain("secret-token");
  });

  it("gives up on 429 after its retries, with the status", async () => {
    receiver.answer({ status: 429 }, { status: 429 }, { status: 429 });
    const error = await failure(postWithRetry(receiver.url("/hook"), "{}", fast));
    expect(error).toMatchObject({ message: "HTTP 429 after 3 attempts", attempts: 3, status: 429 });
    expect(receiver.received).toHaveLength(3);
  });

  it.each([400, 401, 403, 404, 410, 413])("does not retry a %i: the receiver refused the request itself", async (status) => {
    receiver.answer({ status });
    const error = await failure(postWithRetry(receiver.url("/hook"), "{}", fast));
    expect(error).toMatchObject({ message: `HTTP ${status} after 1 attempt`, attempts: 1, status });
    expect(receiver.received).toHaveLength(1);
  });

  it("signs every attempt afresh and sends the fixed headers on each", async () => {
    receiver.answer({ status: 500 });
    let signed = 0;
    await postWithRetry(receiver.url("/hook"), "{}", {
      ...fast,
      headers: { "x-fixed": "yes" },
      sign: () => ({ "x-signature": `attempt-${++signed}` }),
    });
    expect(receiver.received.map((r) => [r.headers["x-fixed"], r.headers["x-signature"]])).toEqual([
      ["yes", "attempt-1"],
      ["yes", "attempt-2"],
    ]);
    expect(receiver.received[0].headers["content-type"]).toBe("application/json");
  });
});
