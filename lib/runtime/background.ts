/**
 * Work started now and finished later in this process (local mode and tests stand-ins for an
 * asynchronous Lambda invocation). A failure is reported, never thrown at the caller;
 * `settled()` waits for everything in flight (tests, shutdown).
 */
export class BackgroundTasks {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly onError: (error: Error, context: Record<string, unknown>) => void) {}

  /** `context` goes to the error report: what the work was about. */
  start(work: () => Promise<unknown>, context: Record<string, unknown> = {}): void {
    const task: Promise<unknown> = Promise.resolve()
      .then(work)
      .catch((error) => this.onError(error as Error, context))
      .finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }
}
