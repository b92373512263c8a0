/**
 * Runs tasks one at a time per key, in arrival order, within this process. Turns of one
 * conversation on one instance then never race; races between instances are caught by the
 * compare-and-set save and retried.
 *
 * Two limits keep one conversation from harming the rest: a queue longer than `maxQueued` is
 * refused (a flood), and a task that runs longer than `holdMs` stops blocking the next one (a
 * hung turn, or one that re-enters its own conversation). A task released that way keeps
 * running, but its save then loses the compare-and-set, so it cannot overwrite newer state.
 */

/** Too many turns are already waiting for this conversation. */
export class TurnQueueFull extends Error {
  override readonly name = 'TurnQueueFull';
  constructor(readonly waiting: number) {
    super(`${waiting} turns are already waiting for this conversation`);
  }
}

/** Serialises tasks per key, with limits. */
export class KeyedMutex {
  private readonly queues = new Map<string, { tail: Promise<unknown>; waiting: number }>();

  constructor(private readonly options: { readonly maxQueued: number; readonly holdMs: number } = { maxQueued: 50, holdMs: 30_000 }) {}

  /** Runs `task` after the earlier tasks for `key` have finished (or outlived `holdMs`). */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const queue = this.queues.get(key) ?? { tail: Promise.resolve(), waiting: 0 };
    if (queue.waiting >= this.options.maxQueued) throw new TurnQueueFull(queue.waiting);
    queue.waiting += 1;
    this.queues.set(key, queue);
    const result = queue.tail.then(task, task);
    let timer: NodeJS.Timeout | undefined;
    const released = Promise.race([
      result.then(
        () => undefined,
        () => undefined,
      ),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.options.holdMs);
      }),
    ]).finally(() => {
      clearTimeout(timer);
    });
    queue.tail = released;
    try {
      return await result;
    } finally {
      queue.waiting -= 1;
      // Forget the key once nothing else waits on it, so the map stays small.
      if (queue.waiting === 0 && this.queues.get(key) === queue) this.queues.delete(key);
    }
  }

  /** How many keys have work queued or running (for tests and health checks). */
  get size(): number {
    return this.queues.size;
  }
}
