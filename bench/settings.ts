/** How big each measurement is: the full run, `--quick` for a look, and `tiny` for the harness test. */

/** The sizes of one benchmark run. */
export interface BenchSettings {
  readonly mode: 'full' | 'quick' | 'tiny';
  readonly throughput: {
    /** Seconds of load per bot, per concurrency, per round. */
    readonly seconds: number;
    readonly warmupSeconds: number;
    /** Rounds of echo-then-product (alternating which goes first); figures are medians over rounds. */
    readonly rounds: number;
    readonly concurrencies: readonly number[];
  };
  /** Conversations played one turn at a time to count Redis commands per turn. */
  readonly redisCostConversations: number;
  readonly memory: {
    readonly conversations: number;
    readonly warmupConversations: number;
    /** Turns each conversation takes before it is left open, mid-dialog. */
    readonly turns: number;
    readonly concurrency: number;
  };
  readonly dueQueries: {
    /** Cases stored in all, in increasing order; the first and last are compared. */
    readonly sizes: readonly number[];
    /** Cases due in the next 24 hours, the same ones at every size. */
    readonly due: number;
    /** Timed queries per size (after warm-up); the median is reported. */
    readonly repeats: number;
  };
  /** Seconds the host-stall probe runs before the sweep (bench/host-stalls.ts). */
  readonly hostStallSeconds: number;
  readonly dueSweep: {
    /** Cases in the wake index, in increasing order; the first and last are compared. */
    readonly sizes: readonly number[];
    /** Cases due when each timed sweep runs (lodged afresh each time). */
    readonly due: number;
    /** Timed sweeps per size; the median is reported. */
    readonly repeats: number;
  };
}

export const FULL: BenchSettings = {
  mode: 'full',
  throughput: { seconds: 15, warmupSeconds: 10, rounds: 5, concurrencies: [1, 32] },
  redisCostConversations: 10,
  memory: { conversations: 10_000, warmupConversations: 1000, turns: 6, concurrency: 32 },
  dueQueries: { sizes: [10_000, 100_000, 1_000_000], due: 500, repeats: 60 },
  hostStallSeconds: 10,
  dueSweep: { sizes: [10_000, 100_000, 1_000_000], due: 500, repeats: 5 },
};

export const QUICK: BenchSettings = {
  mode: 'quick',
  throughput: { seconds: 3, warmupSeconds: 2.5, rounds: 1, concurrencies: [1, 32] },
  redisCostConversations: 3,
  memory: { conversations: 400, warmupConversations: 150, turns: 6, concurrency: 32 },
  dueQueries: { sizes: [10_000, 100_000], due: 500, repeats: 20 },
  // A million index entries seed in seconds, so the quick run reports the sweep at every size.
  hostStallSeconds: 3,
  dueSweep: { sizes: [10_000, 100_000, 1_000_000], due: 200, repeats: 2 },
};

/** Only proves the harness works end to end (the test); its figures mean nothing. */
export const TINY: BenchSettings = {
  mode: 'tiny',
  throughput: { seconds: 0.5, warmupSeconds: 0, rounds: 1, concurrencies: [1, 4] },
  redisCostConversations: 1,
  memory: { conversations: 20, warmupConversations: 5, turns: 3, concurrency: 4 },
  dueQueries: { sizes: [500, 2000], due: 50, repeats: 3 },
  hostStallSeconds: 0.3,
  dueSweep: { sizes: [500, 2000], due: 10, repeats: 1 },
};
