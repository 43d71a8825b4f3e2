/**
 * Local mode's and the tests' stand-in for an asynchronous Lambda invocation: `submit` starts
 * the work in this process and returns at once, whatever the work does. A failure is reported
 * with the item it was about, never thrown at the caller; `settled()` waits for everything in
 * flight (tests, shutdown). The notifier and the Slack deferrer are both one of these.
 */
export class BackgroundHandOff<T> {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly run: (item: T) => Promise<unknown>,
    private readonly onError: (error: Error, item: T) => void,
  ) {}

  readonly submit = async (item: T): Promise<void> => {
    const task: Promise<unknown> = Promise.resolve(item)
      .then(this.run)
      .catch((error) => this.onError(error as Error, item))
      .finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  };

  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }
}
