/**
 * Runs tasks one at a time per key. Requests for one VPC read-modify-write its stack (expiry,
 * sources, requesters); serialising them keeps a later request from undoing an earlier one.
 * It covers one process (local mode, a warm Lambda); across Lambdas CloudFormation itself
 * refuses an update while another is in progress (see docs/decisions.md).
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
