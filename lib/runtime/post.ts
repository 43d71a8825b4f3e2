import pRetry, { AbortError } from "p-retry";

export interface PostOptions {
  headers?: Record<string, string>;
  /** Headers made afresh for each attempt (a signature with the attempt's timestamp). */
  sign?: () => Record<string, string>;
  /** Per attempt: a sink that does not answer in time counts as a failed attempt. */
  timeoutMs: number;
  /** Attempts after the first, for 5xx, 429, timeouts and network errors. */
  retries: number;
  /** Delay before the first retry; each next one doubles (with jitter). */
  minBackoffMs?: number;
}

/** A delivery that did not succeed. Its message never contains the URL: webhook URLs are secrets. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    readonly status?: number,
  ) {
    super(message);
    this.name = "DeliveryError";
  }
}

const retryable = (status: number) => status >= 500 || status === 429 || status === 408;

/** POSTs a body, retrying with exponential backoff where a later attempt can succeed. */
export async function postWithRetry(url: string, body: string, options: PostOptions): Promise<{ status: number; attempts: number }> {
  let attempts = 0;
  try {
    return await pRetry(
      async () => {
        attempts += 1;
        let response: Response;
        try {
          response = await fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json", "user-agent": "ssm-knock", ...options.headers, ...options.sign?.() },
            body,
            signal: AbortSignal.timeout(options.timeoutMs),
            redirect: "error",
          });
        } catch (error) {
          const timedOut = (error as Error).name === "TimeoutError";
          throw new DeliveryError(timedOut ? `no answer within ${options.timeoutMs} ms` : "connection failed", attempts);
        }
        // Read the body so the connection goes back to the pool.
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return { status: response.status, attempts };
        const error = new DeliveryError(`HTTP ${response.status}`, attempts, response.status);
        if (retryable(response.status)) throw error;
        throw new AbortError(error);
      },
      { retries: options.retries, minTimeout: options.minBackoffMs ?? 250, factor: 2, randomize: true },
    );
  } catch (error) {
    const cause = error instanceof DeliveryError ? error : new DeliveryError((error as Error).message, attempts);
    throw new DeliveryError(`${cause.message} after ${attempts} attempt${attempts === 1 ? "" : "s"}`, attempts, cause.status);
  }
}
