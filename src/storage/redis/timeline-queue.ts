/**
 * The timeline's sweep on BullMQ: a job scheduler makes one sweep job per period for all the
 * instances sharing this Redis, and whichever instance's worker takes it sweeps. If that
 * instance dies mid-sweep, its job stalls and is taken over; either way the cases it did not
 * reach stay due in the wake index for the next sweep. The same queue carries the one job per
 * bank-holiday calendar version that counts open cases again (see calendar-change.ts).
 */
import { DelayedError, type Job, Queue, Worker } from 'bullmq';
import { propertyOf } from '../../values/property-of.js';
import { z } from 'zod';
import type { Logger } from '../../ports/logger.js';
import { createQueueConnection, type RedisConnectionConfig } from './connection.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './scripts.js';

/** The queue's name, hash-tagged so its keys share a Cluster slot. */
export const TIMELINE_QUEUE = '{timeline}';
const RECALENDAR = 'recalendar';
/** How long a recount asked for under another calendar or settings waits for an instance that has them. */
const SUPERSEDED_AFTER_MS = 3_600_000;

export interface TimelineQueueOptions {
  readonly connection: RedisConnectionConfig;
  readonly keys: RedisKeys;
  readonly log: Logger;
  readonly everyMs: number;
  readonly sweep: () => Promise<unknown>;
  readonly recalendar: Recalendar;
  /** Work run on its own period through the same queue (the retention sweep), or null. */
  readonly periodic?: PeriodicJob | null;
}

/** A job the job engine runs once per period across every instance. */
export interface PeriodicJob {
  readonly name: string;
  readonly everyMs: number;
  run(): Promise<unknown>;
}

/** Counting open cases again under this process's calendar and settings, once per version of them. */
export interface Recalendar {
  /** The calendar's version and the timeline settings', together: a change to either counts again. */
  readonly version: string;
  /** Runs it, told what an earlier attempt had moved, telling progress as it goes. */
  run(movedBefore: readonly string[], onMoved: (moved: readonly string[]) => Promise<void>): Promise<unknown>;
}

/** What a recalendar job's progress holds: the cases moved so far. */
const progressSchema = z.object({ moved: z.array(z.string()) });

/** A job id from a calendar version (BullMQ's ids may not hold every character a version can). */
function recalendarJobId(version: string): string {
  return `recalendar-${version.replace(/[^A-Za-z0-9_.+-]/g, '-')}`;
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
    async (job: Job, token?: string) => {
      if (options.periodic && job.name === options.periodic.name) {
        await options.periodic.run();
        return;
      }
      if (job.name !== RECALENDAR) {
        await options.sweep();
        return;
      }
      const asked = propertyOf(job.data, 'version');
      if (asked !== options.recalendar.version) {
        // Asked for by an instance with another calendar or other settings (a rolling restart):
        // left for an instance that has them, or dropped once nobody has taken it for an hour.
        if (Date.now() - job.timestamp > SUPERSEDED_AFTER_MS) {
          options.log.info('timeline.recalendar-superseded', {});
          return;
        }
        await job.moveToDelayed(Date.now() + 30_000, token);
        throw new DelayedError();
      }
      const before = progressSchema.safeParse(job.progress);
      await options.recalendar.run(before.success ? before.data.moved : [], async (moved) => {
        await job.updateProgress({ moved: [...moved] });
      });
    },
    // A sweep and a recount never run at once in one instance; a recount is taken over when its instance dies.
    { connection: connection(), prefix, concurrency: 1, lockDuration: 60_000, stalledInterval: 30_000 },
  );
  worker.on('failed', (job, error) => {
    const failed =
      job?.name === RECALENDAR ? 'timeline.recalendar-failed' : job?.name === options.periodic?.name ? `${job?.name ?? ''}.failed` : 'timeline.sweep-failed';
    options.log.warn(failed, { error: error.name });
  });
  worker.on('error', (error) => {
    options.log.warn('timeline.worker-error', { error: error.name });
  });
  await queue.upsertJobScheduler('timeline-sweep', { every: options.everyMs }, { name: 'sweep', opts: { removeOnComplete: true, removeOnFail: 100 } });
  if (options.periodic) {
    await queue.upsertJobScheduler(
      `${options.periodic.name}-sweep`,
      { every: options.periodic.everyMs },
      { name: options.periodic.name, opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }
  // Once per calendar version across every instance and restart: the job is kept, so its id is never taken again.
  await queue.add(
    RECALENDAR,
    { version: options.recalendar.version },
    {
      jobId: recalendarJobId(options.recalendar.version),
      removeOnComplete: false,
      removeOnFail: false,
      attempts: 10,
      backoff: { type: 'exponential', delay: 10_000 },
    },
  );
  return {
    close: async () => {
      await worker.close();
      await queue.close();
      for (const client of connections) client.disconnect();
    },
  };
}
