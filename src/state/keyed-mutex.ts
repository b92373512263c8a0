/**
 * Runs tasks one at a time per key, in arrival order, within this process. Turns of one
 * conversation on one instance then never race; races between instances are caught by the
 * compare-and-set save and retried.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `task` after every earlier task for `key` has finished (whether it succeeded or not). */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      // Forget the key once nothing else has queued behind this task, so the map stays small.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** How many keys have work queued or running (for tests and health checks). */
  get size(): number {
    return this.tails.size;
  }
}
