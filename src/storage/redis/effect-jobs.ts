/**
 * The effect queues' jobs as the health checks and an administrator see them: counts by state,
 * the jobs that failed every attempt (described without the message or anyone's contact
 * details), and trying those again. It runs no job (the workers are in effect-queues.ts), so
 * `npm run jobs` can open it beside running bots.
 */
import { Queue } from 'bullmq';
import { createQueueConnection, type RedisConnectionConfig } from './connection.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './scripts.js';
import { propertyOf } from '../../values/property-of.js';

/** The queues, by what their jobs do. Names are hash tags: each queue's keys share a Cluster slot. */
export const QUEUE_NAMES = { staff: '{staff}', complainant: '{complainant}', relay: '{relay}' } as const;

/** The queues whose jobs are effects (the relay's only sweeps the outbox). */
export type EffectQueueName = 'staff' | 'complainant';

/** Counts for /readyz and /metrics. */
export interface QueueCounts {
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly failed: number;
  readonly completed: number;
}

/** A job that failed every attempt, as listed to an administrator. */
export interface FailedJob {
  readonly queue: EffectQueueName;
  /** The event's id (`<reference>.<version>.<n>`), with `.unseen` or `.seen` for the jobs that follow a message up. */
  readonly id: string;
  /** What the job does: the event's type, or `unseen-check` / `seen-status`. */
  readonly type: string;
  readonly reference: string;
  readonly attempts: number;
  /** Why its last attempt failed, without email addresses or phone numbers. */
  readonly reason: string;
}

/** The most failed jobs listed at once. */
const LISTED = 1000;

/** Digits enough to be a phone number (a UK one has ten or more; a status like "550 5.1.1" has fewer). */
const PHONE_DIGITS = 9;

/**
 * A failure's reason without contact details: a mail server may quote the address it refused.
 * @example withoutContactDetails('550 <jo@example.com> unknown') // '550 <[email]> unknown'
 */
export function withoutContactDetails(reason: string): string {
  return reason
    .replace(/[^\s<>"'@,;]+@[^\s<>"'@,;]+/g, '[email]')
    .replace(/\+?\d[\d\s().-]{6,}\d/g, (run) => (run.replace(/\D/g, '').length >= PHONE_DIGITS ? '[number]' : run))
    .slice(0, 300);
}

/** The effect queues' jobs, for counting, listing and retrying. */
export class EffectJobs {
  constructor(
    private readonly queues: Readonly<Record<EffectQueueName, Queue>>,
    /** The connection opened for these queues alone, closed with them. */
    private readonly connection: RedisClient | null = null,
  ) {}

  /** The queues under `keys`' prefix, on a connection of their own (for `npm run jobs`). */
  static open(connection: RedisConnectionConfig, keys: RedisKeys): EffectJobs {
    const client = createQueueConnection(connection);
    const options = { connection: client, prefix: keys.queuePrefix() };
    return new EffectJobs({ staff: new Queue(QUEUE_NAMES.staff, options), complainant: new Queue(QUEUE_NAMES.complainant, options) }, client);
  }

  /** Job counts per queue. */
  async counts(): Promise<Record<EffectQueueName, QueueCounts>> {
    const count = async (queue: Queue): Promise<QueueCounts> => {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'wait');
      return {
        waiting: (counts['waiting'] ?? 0) + (counts['prioritized'] ?? 0),
        active: counts['active'] ?? 0,
        delayed: counts['delayed'] ?? 0,
        failed: counts['failed'] ?? 0,
        completed: counts['completed'] ?? 0,
      };
    };
    return { staff: await count(this.queues.staff), complainant: await count(this.queues.complainant) };
  }

  /** Jobs that failed every attempt (the first thousand per queue), oldest failure last. */
  async failed(): Promise<FailedJob[]> {
    const out: FailedJob[] = [];
    for (const queue of ['staff', 'complainant'] as const) {
      for (const job of await this.queues[queue].getFailed(0, LISTED - 1)) {
        const reference = propertyOf(job.data, 'reference');
        out.push({
          queue,
          id: job.id ?? '',
          type: job.name,
          reference: typeof reference === 'string' ? reference : '',
          attempts: job.attemptsMade,
          reason: withoutContactDetails(job.failedReason),
        });
      }
    }
    return out;
  }

  /** Tries every failed job again; returns how many there were. */
  async retryFailed(): Promise<number> {
    let retried = 0;
    for (const queue of [this.queues.staff, this.queues.complainant]) {
      retried += await queue.getFailedCount();
      await queue.retryJobs({ state: 'failed' });
    }
    return retried;
  }

  /** Closes the queues, and the connection if it was opened for them. */
  async close(): Promise<void> {
    if (!this.connection) return;
    await Promise.all([this.queues.staff.close(), this.queues.complainant.close()]);
    this.connection.disconnect();
  }
}
