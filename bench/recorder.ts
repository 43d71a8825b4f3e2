import type { RegionClients } from "../lib/aws/clients.js";

/** One AWS call as the SDK saw it: from the command entering the client to its answer. */
export interface AwsCall {
  service: string;
  command: string;
  start: number;
  end: number;
  /** HTTP attempts the SDK made for it (retries included). */
  attempts: number;
  input: Record<string, unknown>;
  /** When the call started on the service's clock (local mode's virtual clock, if given). */
  at: number;
}

/** The slice of an SDK client's middleware stack used here; every v3 client has it. */
type Handler = (args: { input: object }) => Promise<{ output: unknown }>;
type Middleware = (next: Handler, context: { clientName?: string; commandName?: string }) => Handler;
interface Instrumentable {
  middlewareStack: { add(middleware: Middleware, options: { step: "initialize"; name: string }): void };
}

/**
 * Records every call the given clients send, through an SDK middleware at the initialize step,
 * so retries inside the SDK count as one call (their attempts are kept).
 */
export class CallRecorder {
  calls: AwsCall[] = [];
  private readonly instrumented = new WeakSet<object>();

  constructor(private readonly clock: () => number = Date.now) {}

  attach(clients: Pick<RegionClients, "ec2" | "cloudFormation" | "scheduler" | "ssm"> & Partial<Pick<RegionClients, "pricing">>): void {
    for (const client of [clients.ec2, clients.cloudFormation, clients.scheduler, clients.ssm]) this.attachTo(client);
    // The open asks the Price List (once per region per warm Lambda): its round counts too.
    if (clients.pricing) this.attachTo(clients.pricing);
  }

  attachTo(client: Instrumentable): void {
    if (this.instrumented.has(client)) return;
    this.instrumented.add(client);
    const middleware: Middleware = (next, context) => async (args) => {
      const start = performance.now();
      const at = this.clock();
      let attempts = 1;
      try {
        const result = await next(args);
        attempts = (result.output as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
        return result;
      } catch (error) {
        attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
        throw error;
      } finally {
        this.calls.push({
          service: String(context.clientName ?? "").replace(/Client$/, ""),
          command: String(context.commandName ?? "").replace(/Command$/, ""),
          start,
          end: performance.now(),
          attempts,
          input: args.input as Record<string, unknown>,
          at,
        });
      }
    };
    client.middlewareStack.add(middleware, { step: "initialize", name: "benchCallRecorder" });
  }

  /** The calls recorded while `run` ran (nothing else may use the clients meanwhile). */
  async during<T>(run: () => Promise<T>): Promise<{ result: T; calls: AwsCall[] }> {
    const from = this.calls.length;
    const result = await run();
    return { result, calls: this.calls.slice(from) };
  }
}

/**
 * Sequential round trips: the critical path in AWS calls, what the caller waits for. Calls in
 * flight together (a Promise.all) overlap in time and count as one round. A call that starts after
 * others have answered was released by the last of them to answer (code goes on as soon as what it
 * awaits is in; the gap is a microtask, not a round trip), so its depth is that call's plus one.
 * Counting every call that ended earlier instead (the longest chain of non-overlapping calls)
 * over-counts two independent chains that interleave: the open's own rounds and its concurrent
 * readiness read, whose quick calls land between the open's and looked like one more round.
 */
export function sequentialRounds(calls: AwsCall[]): number {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  for (const [index, call] of sorted.entries()) {
    let trigger = -1;
    for (let earlier = 0; earlier < index; earlier++) {
      const ended = sorted[earlier].end;
      if (ended <= call.start && (trigger < 0 || ended > sorted[trigger].end)) trigger = earlier;
    }
    depth[index] = (trigger < 0 ? 0 : depth[trigger]) + 1;
  }
  return Math.max(0, ...depth);
}
