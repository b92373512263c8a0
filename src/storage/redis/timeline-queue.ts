/**
 * The timeline's sweep on BullMQ: a job scheduler makes one sweep job per period for all the
 * instances sharing this Redis, and whichever instance's worker takes it sweeps. If that
 * instance dies mid-sweep, its job stalls and is taken over; either way the cases it did not
 * reach stay due in the wake index for the next sweep.
 */
import { Queue, Worker } from 'bullmq';
import type { Logger } from '../../ports/logger.js';
import { createQueueConnection, type RedisConnectionConfig } from './connection.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './scripts.js';

/** The queue's name, hash-tagged so its keys share a Cluster slot. */
export const TIMELINE_QUEUE = '{timeline}';

export interface TimelineQueueOptions {
  readonly connection: RedisConnectionConfig;
  readonly keys: RedisKeys;
  readonly log: Logger;
  readonly everyMs: number;
  readonly sweep: () => Promise<unknown>;
}

/** Starts the schedule and this instance's worker; close() stops them. */
export async function startTimelineQueue(options: TimelineQueueOptions): Promise<{ close(): Promise<void> }> {
  const connections: RedisClient[] = [];
  const connection = (): RedisClient => {
    const client = createQueueConnection(options.connection);
    connections.push(client);
    return client;
  };
  const prefix = options.keys.queuePrefix();
  const queue = new Queue(TIMELINE_QUEUE, { connection: connection(), prefix });
  queue.on('error', (error) => {
    options.log.warn('timeline.queue-error', { error: error.name });
  });
  const worker = new Worker(
    TIMELINE_QUEUE,
    async () => {
      await options.sweep();
    },
    { connection: connection(), prefix, concurrency: 1 },
  );
  worker.on('failed', (_job, error) => {
    options.log.warn('timeline.sweep-failed', { error: error.name });
  });
  worker.on('error', (error) => {
    options.log.warn('timeline.worker-error', { error: error.name });
  });
  await queue.upsertJobScheduler('timeline-sweep', { every: options.everyMs }, { name: 'sweep', opts: { removeOnComplete: true, removeOnFail: 100 } });
  return {
    close: async () => {
      await worker.close();
      await queue.close();
      for (const client of connections) client.disconnect();
    },
  };
}
