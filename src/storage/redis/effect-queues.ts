/**
 * The outbox's way out, on BullMQ over the Redis the cases live in.
 *
 * The relay reads each shard's outbox stream through a consumer group, adds each event to its
 * queue as a job whose id is the event's id (so an event relayed twice, by a relay that died
 * before acknowledging or by two relays at once, is one job), and only then acknowledges and
 * deletes the entries. It runs at once when this process saves a change, and every few seconds
 * on a BullMQ job scheduler for events other processes left behind (they died, say).
 *
 * Workers take the jobs: staff events (Teams), in order per case, and complainant events. A
 * failure is retried with backoff for about a day; Teams' throttling pauses the staff queue for
 * as long as Teams asks (BullMQ's rate limiter). Jobs that still fail stay listed as failed for
 * staff and an administrator (`npm run jobs`).
 */
import { randomUUID } from 'node:crypto';
import { DelayedError, type Job, Queue, Worker } from 'bullmq';
import { z } from 'zod';
import { isForStaff, type OutboxEvent } from '../../cases/outbox-event.js';
import { isCaseReference } from '../../cases/reference.js';
import type { DataKeyRing } from '../encryption/data-keys.js';
import { type EventOpener, type EventRoute, routeOf } from './sealed-event.js';
import type { EventOfCase } from '../../ports/effect-ledger.js';
import type { Logger } from '../../ports/logger.js';
import {
  EffectMustWait,
  EffectNotYet,
  type EffectDeps,
  performComplainantEffect,
  performHeldReply,
  performConcernEffect,
  performDigestEffect,
  performCalendarNoticeEffect,
  performSeenStatus,
  performStaffEffect,
  performUnseenCheck,
  recordSeen,
  reportDeliveryFailed,
} from '../../outbox/effects.js';
import { ErasedCaseEvent, StorageUnavailable } from '../../cases/errors.js';
import { urgentConcernSchema, type UrgentConcern } from '../../outbox/urgent-concern.js';
import type { DigestRequest } from '../../timekeeping/digest.js';
import { CALENDAR_NOTICE_NAMES, type CalendarNotice } from '../../timekeeping/calendar-change.js';

import { createQueueConnection, type RedisConnectionConfig, storageCall } from './connection.js';
import { EffectJobs, type EffectQueueName, type FailedJob, QUEUE_NAMES, type QueueCounts } from './effect-jobs.js';
import type { RedisKeys } from './keys.js';
import { type RedisClient, runScript } from './scripts.js';

/** The job that checks, later, that a staff message shown in the chat was seen. */
const UNSEEN_CHECK = 'unseen-check';

/** The job that shows staff a message was seen. */
const SEEN_STATUS = 'seen-status';

/** The job that tells staff of words suggesting someone may be at risk. */
/** A calendar notice as a job carries it, checked as it is read back. */
const calendarNoticeSchema = z.strictObject({
  id: z.string().min(1).max(200),
  version: z.string().min(1).max(200),
  moved: z.array(z.string().max(50)).max(CALENDAR_NOTICE_NAMES),
  movedCount: z.number().int().min(0),
  failed: z.array(z.string().max(50)).max(CALENDAR_NOTICE_NAMES),
});

const CONCERN = 'concern';
const DIGEST = 'digest';
const CALENDAR = 'calendar';

/** The relay's consumer group on every outbox stream. */
const GROUP = 'relay';

/** Outbox entries read per command. */
const BATCH = 100;

/** How long a wake waits for more wakes before relaying them all. */
const RELAY_GATHER_MS = 250;

/** How long an entry read by a relay that then died stays with it before another takes it over. */
const ORPHANED_MS = 30_000;

/** How failed jobs are tried again. */
export interface RetryPolicy {
  /** The first wait, doubled each time up to `maxDelayMs`. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /** Attempts in all; with the defaults, about 24 hours of trying. */
  readonly attempts: number;
}

/** About a day: 5 s doubling to an hour (2.8 hours in ten tries), then hourly. */
export const DAY_OF_RETRIES: RetryPolicy = { firstDelayMs: 5_000, maxDelayMs: 3_600_000, attempts: 32 };

/** The wait before attempt `attemptsMade + 1`. */
export function retryDelay(policy: RetryPolicy, attemptsMade: number): number {
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.max(0, attemptsMade - 1));
}

export interface EffectQueuesOptions {
  readonly connection: RedisConnectionConfig;
  /** The stores' (fail-fast) client, for the outbox streams. */
  readonly client: RedisClient;
  readonly keys: RedisKeys;
  readonly deps: EffectDeps;
  /** How long Teams asked to wait, if the error is its throttling. */
  readonly throttled: (error: unknown) => number | null;
  readonly log: Logger;
  readonly retry?: RetryPolicy;
  /** How often the relay looks for events other processes left (default 5 s). */
  readonly sweepEveryMs?: number;
  /** How long a worker's hold on a job (and its case) lasts unrenewed: a crashed worker's jobs are taken over after it (default 30 s). */
  readonly lockMs?: number;
  /**
   * Staff effects at most this many per second across every instance (Teams allows about 7 a
   * second per bot per conversation); null for no limit (no Teams: staff effects are logged).
   */
  readonly staffPerSecond?: number | null;
  /** Opens the events jobs carry (sealed with their case's data key): the case store. */
  readonly events: EventOpener;
  /** Seals a concern's words in its job. */
  readonly dataKeys: DataKeyRing;
}

interface StreamEntry {
  readonly id: string;
  /** How to queue what it carries (null: unreadable), and what it carries, for the job. */
  readonly route: EventRoute | null;
  readonly carried: unknown;
}

/** Stream entries as Redis gives them: each an id and its fields and values in turn (none if deleted since). */
const streamEntries = z.array(z.tuple([z.string(), z.array(z.string()).nullable()]));

/** XAUTOCLAIM's answer: the cursor to go on from, the entries claimed, and (from Redis 7) the ids of entries deleted meanwhile. */
const autoclaimAnswer = z.tuple([z.string(), streamEntries]).rest(z.unknown());

/** XREADGROUP's answer: the entries of each stream read (one here), or null when there were none. */
const readGroupAnswer = z.array(z.tuple([z.string(), streamEntries])).nullable();

function entriesOf(entries: z.output<typeof streamEntries>): StreamEntry[] {
  return entries.map(([id, fields]) => {
    const json = fields ? fields[fields.indexOf('e') + 1] : undefined;
    const carried: unknown = json ? JSON.parse(json) : null;
    return { id, route: routeOf(carried), carried };
  });
}

/** A concern as its job carries it: the words sealed (they are a disclosure about someone's safety). */
const sealedConcernSchema = z.strictObject({ id: z.string().min(1).max(100), reference: z.string().max(20).nullable(), sealed: z.string().min(4) });

/** A seen-status job's data: which message, of which case. */
const seenSchema = z.strictObject({ id: z.string().min(1).max(200), reference: z.string().min(1).max(20) });

/** A job carries something no event or concern can be read from (damaged, or its case is gone). */
export class UnreadableJob extends Error {
  override readonly name = 'UnreadableJob';
  constructor(readonly job: string) {
    super(`The ${job} job carries nothing that can be read`);
  }
}

/** The outbox relay, the effect queues and their workers. */
export class EffectQueues {
  private readonly retry: RetryPolicy;
  private readonly lockMs: number;
  private readonly consumer = `relay-${randomUUID()}`;
  private readonly queues: Record<EffectQueueName | 'relay', Queue>;
  private readonly jobs: EffectJobs;
  // Kept to be closed; each carries its own kind of job.
  private readonly workers: Pick<Worker, 'close'>[] = [];
  private readonly connections: RedisClient[] = [];
  private readonly pumping = new Map<number, { again: boolean; run: Promise<void> }>();
  private readonly groupsMade = new Set<number>();
  private closed = false;

  constructor(private readonly options: EffectQueuesOptions) {
    this.retry = options.retry ?? DAY_OF_RETRIES;
    this.lockMs = options.lockMs ?? 30_000;
    const prefix = options.keys.queuePrefix();
    const queue = (name: string): Queue => {
      const made = new Queue(name, { connection: this.connection(), prefix });
      // Without a listener BullMQ prints every connection error; the stores' own checks report an outage.
      made.on('error', (error) => {
        options.log.warn('outbox.queue-error', { queue: name, error: error.name });
      });
      return made;
    };
    this.queues = { staff: queue(QUEUE_NAMES.staff), complainant: queue(QUEUE_NAMES.complainant), relay: queue(QUEUE_NAMES.relay) };
    this.jobs = new EffectJobs(this.queues);
  }

  private connection(): RedisClient {
    const client = createQueueConnection(this.options.connection);
    this.connections.push(client);
    return client;
  }

  /** Starts the workers and the relay's schedule. */
  async start(): Promise<void> {
    const prefix = this.options.keys.queuePrefix();
    // Both delivery workers: their own waiting connection, four jobs at a time, our retry policy,
    // and a hold that lapses after EFFECT_LOCK_SECONDS so a crashed instance's jobs are taken over.
    const delivery = () => ({
      connection: this.connection(),
      prefix,
      concurrency: 4,
      settings: { backoffStrategy: (attemptsMade: number) => retryDelay(this.retry, attemptsMade) },
      lockDuration: this.lockMs,
      stalledInterval: this.lockMs,
    });
    const staff = new Worker<unknown>(QUEUE_NAMES.staff, (job: Job<unknown>, token?: string): Promise<void> => this.staffJob(job, token), {
      ...delivery(),
      ...(this.options.staffPerSecond === null ? {} : { limiter: { max: this.options.staffPerSecond ?? 7, duration: 1000 } }),
    });
    // The complainant queue carries events, and records of a message seen (only the event's id and reference).
    const complainant = new Worker<EventOfCase>(
      QUEUE_NAMES.complainant,
      (job: Job<EventOfCase>, token?: string) => this.complainantJob(job, token),
      delivery(),
    );
    const relay = new Worker<OutboxEvent>(
      QUEUE_NAMES.relay,
      async (): Promise<void> => {
        await this.sweep();
      },
      { connection: this.connection(), prefix, concurrency: 1 },
    );
    for (const [queue, worker] of Object.entries({ staff, complainant, relay })) {
      worker.on('failed', (job, error) => {
        const final = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
        this.options.deps.metrics?.jobFailed(queue, final);
        if (final && queue !== 'relay') this.reportFailed(job.data, job.name);
        this.options.log[final ? 'error' : 'warn'](final ? 'outbox.job-failed' : 'outbox.job-retrying', {
          queue: worker.name,
          attempts: job?.attemptsMade ?? 0,
          error: error.name,
        });
      });
      worker.on('error', (error) => {
        this.options.log.warn('outbox.worker-error', { queue: worker.name, error: error.name });
      });
      this.workers.push(worker);
    }
    await this.queues.relay.upsertJobScheduler(
      'outbox-sweep',
      { every: this.options.sweepEveryMs ?? 5_000 },
      { name: 'sweep', opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
    await this.listenForWakes();
    // What earlier processes left is relayed now, not at the first tick.
    await this.sweep();
  }

  /** Relays at once the shards that instances which only save say have news (see `announce`). */
  private async listenForWakes(): Promise<void> {
    const subscriber = createQueueConnection(this.options.connection);
    this.connections.push(subscriber);
    subscriber.on('message', (_channel: string, message: string) => {
      for (const shard of message.split(',').map(Number)) {
        if (Number.isInteger(shard) && shard >= 0 && shard < this.options.keys.shards) this.pump(shard);
      }
    });
    // Best effort: the sweep relays whatever a missed wake was about.
    await subscriber.subscribe(this.options.keys.outboxWake()).catch((error: unknown) => {
      this.options.log.warn('outbox.wake-unheard', { error: error instanceof Error ? error.name : 'unknown' });
    });
  }

  /**
   * This instance saved events but does not deliver (EFFECT_WORKERS=false): tells the instances
   * that do which shards to relay now. One PUBLISH, not awaited by the turn; lost, the sweep
   * relays the events a few seconds later.
   */
  announce(events: readonly OutboxEvent[]): void {
    const shards = [...new Set(events.map((event) => this.options.keys.shardOfReference(event.reference)))];
    if (shards.length === 0) return;
    this.options.client.publish(this.options.keys.outboxWake(), shards.join(',')).catch(() => undefined);
  }

  /** This process saved events: relay their shards now. */
  wake(events: readonly OutboxEvent[]): void {
    const shards = new Set(events.map((event) => this.options.keys.shardOfReference(event.reference)));
    for (const shard of shards) this.pump(shard);
  }

  /** Relays every shard's outbox, entries a dead relay left first; returns how many events it relayed. */
  async sweep(): Promise<number> {
    let relayed = 0;
    for (let shard = 0; shard < this.options.keys.shards; shard += 1) relayed += await this.relayShard(shard, { orphans: true });
    return relayed;
  }

  /** Relays a shard, one run at a time; a wake during a run makes it run once more. */
  private pump(shard: number): void {
    const running = this.pumping.get(shard);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false, run: Promise.resolve() };
    // (Read through a function: a wake sets it while the relay awaits.)
    const askedAgain = (): boolean => state.again;
    state.run = (async () => {
      // Wakes that come close together are relayed together: one read and one queueing for a
      // handful of events costs little more than for one, and BullMQ's workers take a burst of
      // jobs more cheaply than the same jobs one by one.
      await new Promise((resolve) => setTimeout(resolve, RELAY_GATHER_MS));
      do {
        state.again = false;
        try {
          await this.relayShard(shard, { orphans: false });
        } catch (error) {
          // The sweep picks the events up: they are safe in the outbox.
          this.options.log.warn('outbox.relay-failed', { error: error instanceof Error ? error.name : 'unknown' });
        }
      } while (askedAgain() && !this.closed);
      this.pumping.delete(shard);
    })();
    this.pumping.set(shard, state);
  }

  private async ensureGroup(stream: string, shard: number): Promise<void> {
    if (this.groupsMade.has(shard)) return;
    try {
      await storageCall('outbox', () => this.options.client.xgroup('CREATE', stream, GROUP, '0', 'MKSTREAM'));
    } catch (error) {
      if (!(error instanceof Error) || !/BUSYGROUP/.test(`${error.message} ${error.cause instanceof Error ? error.cause.message : ''}`)) throw error;
    }
    this.groupsMade.add(shard);
  }

  /**
   * Moves one shard's outbox into the queues: with `orphans`, entries a dead relay read and never
   * queued (the sweep looks; a wake need not), then new ones.
   */
  async relayShard(shard: number, { orphans }: { orphans: boolean } = { orphans: true }): Promise<number> {
    const stream = this.options.keys.outbox(shard);
    await this.ensureGroup(stream, shard);
    const client = this.options.client;
    let relayed = 0;
    if (orphans) {
      const orphaned = autoclaimAnswer.parse(
        await storageCall('outbox', () => client.call('XAUTOCLAIM', stream, GROUP, this.consumer, String(ORPHANED_MS), '0-0', 'COUNT', String(BATCH))),
      );
      relayed += await this.relayEntries(stream, entriesOf(orphaned[1]));
    }
    for (;;) {
      const reply = readGroupAnswer.parse(
        await storageCall('outbox', () => client.xreadgroup('GROUP', GROUP, this.consumer, 'COUNT', BATCH, 'STREAMS', stream, '>')),
      );
      const entries = entriesOf(reply?.[0]?.[1] ?? []);
      if (entries.length === 0) return relayed;
      relayed += await this.relayEntries(stream, entries);
      if (entries.length < BATCH) return relayed;
    }
  }

  private async relayEntries(stream: string, entries: readonly StreamEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const jobs: Record<'staff' | 'complainant', { route: EventRoute; carried: unknown }[]> = { staff: [], complainant: [] };
    for (const { route, carried } of entries) {
      if (route) (isForStaff(route) ? jobs.staff : jobs.complainant).push({ route, carried });
      else this.options.log.error('outbox.unreadable-event', {});
    }
    // A held reply's job waits in BullMQ's delayed set until its time (it checks again when it runs).
    const opts = (route: EventRoute) =>
      route.until !== undefined ? { ...this.jobOptions(route.id), delay: Math.max(0, Date.parse(route.until) - Date.now()) } : this.jobOptions(route.id);
    for (const name of ['staff', 'complainant'] as const) {
      if (jobs[name].length > 0) {
        await this.queues[name].addBulk(jobs[name].map(({ route, carried }) => ({ name: route.type, data: carried, opts: opts(route) })));
      }
    }
    await storageCall('outbox', () => runScript(this.options.client, 'ackOutbox', [stream], [GROUP, ...entries.map((entry) => entry.id)]));
    return entries.length;
  }

  /** Tells staff a job failed for good (best effort: Teams may be what is failing). */
  private reportFailed(data: unknown, name: string): void {
    if (name === CONCERN || name === DIGEST || name === CALENDAR || name === SEEN_STATUS) return;
    void this.options.events
      .openEvent(data)
      .then((event) => (event ? reportDeliveryFailed(event, this.options.deps) : undefined))
      .catch((error: unknown) => {
        this.options.log.error('outbox.failure-not-reported', { error: error instanceof Error ? error.name : 'unknown' });
      });
  }

  /**
   * The event a job carries, opened; null for one of a case erased since (done: nothing to
   * deliver). A job whose event cannot be read otherwise fails (and is listed by `npm run jobs`).
   */
  private async eventOf(job: Job<unknown>): Promise<OutboxEvent | null> {
    let event: OutboxEvent | null;
    try {
      event = await this.options.events.openEvent(job.data);
    } catch (error) {
      if (!(error instanceof ErasedCaseEvent)) throw error;
      // Nothing to do: whatever it would have said went with the case's personal data.
      this.options.log.info('outbox.erased-case-event', { job: job.name });
      return null;
    }
    if (!event) throw new UnreadableJob(job.name);
    return event;
  }

  private jobOptions(jobId: string) {
    return {
      jobId,
      attempts: this.retry.attempts,
      backoff: { type: 'custom' },
      // Kept a day after success, so the same event relayed again meanwhile is still one job.
      removeOnComplete: { age: 86_400 },
      removeOnFail: false,
    };
  }

  private async staffJob(job: Job<unknown>, token: string | undefined): Promise<void> {
    try {
      if (job.name === CONCERN) await performConcernEffect(this.concernOf(job.data), this.options.deps);
      else if (job.name === DIGEST) await performDigestEffect(this.options.deps);
      else if (job.name === CALENDAR) await performCalendarNoticeEffect(calendarNoticeSchema.parse(job.data), this.options.deps);
      else {
        const event = await this.eventOf(job);
        if (event) await performStaffEffect(event, this.options.deps, token ?? job.id ?? event.id, this.lockMs);
      }
    } catch (error) {
      if (error instanceof EffectMustWait) {
        // Its turn comes after the case's earlier effects: look again shortly, without using an attempt.
        await job.moveToDelayed(Date.now() + 250 + Math.random() * 250, token);
        throw new DelayedError();
      }
      const wait = this.options.throttled(error);
      if (wait !== null) {
        // Teams asked every sender to slow down: pause the whole queue, here and in every instance.
        await this.queues.staff.rateLimit(Math.max(wait, 1000));
        throw Worker.RateLimitError();
      }
      throw error;
    }
  }

  /**
   * Queues an urgent concern for staff, at the head of the staff queue. Throws `StorageUnavailable`
   * when Redis has not taken it within the command timeout (the queue's connection would wait for
   * Redis to come back, and the person is waiting for an answer).
   */
  async raiseConcern(concern: UrgentConcern): Promise<void> {
    const sealed = {
      id: concern.id,
      reference: concern.reference,
      sealed: this.options.dataKeys.sealShortLived(JSON.stringify(concern), 'concern', concern.id),
    };
    const added = this.queues.staff.add(CONCERN, sealed, { ...this.jobOptions(concern.id), lifo: true });
    // Added later after all, it is the same job (its id) as the one the next turn tries again.
    added.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => {
          reject(new StorageUnavailable('concern'));
        },
        Math.max(this.options.connection.REDIS_COMMAND_TIMEOUT_MS, 1000),
      );
    });
    try {
      await Promise.race([storageCall('concern', () => added), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The concern a job carries: opened, or as queued before sealing. */
  private concernOf(data: unknown): UrgentConcern {
    const sealed = sealedConcernSchema.safeParse(data);
    if (!sealed.success) return urgentConcernSchema.parse(data);
    const concern = urgentConcernSchema.parse(JSON.parse(this.options.dataKeys.openShortLived(sealed.data.sealed, 'concern', sealed.data.id)));
    if (concern.id !== sealed.data.id) throw new UnreadableJob(CONCERN);
    return concern;
  }

  /**
   * Queues the day's digest on the staff queue (Teams' rate limit covers it), with the date as
   * its job id: every instance's sweep may ask, and BullMQ keeps one job per id (a completed job
   * is kept a day, longer than the day it is for).
   */
  async raiseDigest(request: DigestRequest): Promise<void> {
    await storageCall('digest', () => this.queues.staff.add(DIGEST, request, this.jobOptions(request.id)));
  }

  /** Queues the post saying which cases a new calendar moved, with its version as the job's id (kept, so never twice). */
  async raiseCalendarNotice(notice: CalendarNotice): Promise<void> {
    await storageCall('calendar notice', () => this.queues.staff.add(CALENDAR, notice, { ...this.jobOptions(notice.id), removeOnComplete: false }));
  }

  private async complainantJob(job: Job<unknown>, token: string | undefined): Promise<void> {
    try {
      await this.performComplainantJob(job);
    } catch (error) {
      if (error instanceof EffectNotYet) {
        // A held reply's timer came early (another instance's clock): wait out the rest, without using an attempt.
        await job.moveToDelayed(Date.now() + error.waitMs, token);
        throw new DelayedError();
      }
      if (!(error instanceof EffectMustWait)) throw error;
      // Another job has the message's status line for a moment: look again shortly, without using an attempt.
      await job.moveToDelayed(Date.now() + 250 + Math.random() * 250, token);
      throw new DelayedError();
    }
  }

  private async performComplainantJob(job: Job<unknown>): Promise<void> {
    if (job.name === SEEN_STATUS) {
      const seen = seenSchema.parse(job.data);
      if (!isCaseReference(seen.reference)) throw new UnreadableJob(SEEN_STATUS);
      await performSeenStatus({ id: seen.id, reference: seen.reference }, this.options.deps);
      return;
    }
    const event = await this.eventOf(job);
    if (!event) return;
    if (event.type === 'reply-held') {
      await performHeldReply(event, this.options.deps);
      return;
    }
    if (job.name === UNSEEN_CHECK) {
      await performUnseenCheck(event, this.options.deps);
      return;
    }
    const followUp = await performComplainantEffect(event, this.options.deps);
    if (followUp) {
      // The follow-up carries the event as this job did: sealed.
      await this.queues.complainant.add(UNSEEN_CHECK, job.data, { ...this.jobOptions(`${event.id}.unseen`), delay: followUp.unseenCheckInMs });
    }
  }

  /** The complainant's chat showed a staff message: recorded now, shown to staff by a job. */
  async seen(messageId: unknown, conversationId: string): Promise<boolean> {
    const event = await recordSeen(this.options.deps, messageId, conversationId);
    if (!event) return false;
    await this.queues.complainant.add(SEEN_STATUS, { id: event.id, reference: event.reference }, this.jobOptions(`${event.id}.seen`));
    return true;
  }

  /** Job counts per queue. */
  counts(): Promise<Record<EffectQueueName, QueueCounts>> {
    return this.jobs.counts();
  }

  /**
   * Whether nothing is on its way: every outbox relayed and no job waiting, running or waiting
   * its turn (delayed unseen checks aside). For tests and an orderly shutdown.
   */
  async idle(): Promise<boolean> {
    for (let shard = 0; shard < this.options.keys.shards; shard += 1) {
      if ((await storageCall('outbox', () => this.options.client.xlen(this.options.keys.outbox(shard)))) > 0) return false;
    }
    if (this.pumping.size > 0) return false;
    const staff = await this.queues.staff.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    const complainant = await this.queues.complainant.getJobCounts('waiting', 'active', 'prioritized');
    return [...Object.values(staff), ...Object.values(complainant)].every((count) => count === 0);
  }

  /** Jobs that failed every attempt. */
  failed(): Promise<FailedJob[]> {
    return this.jobs.failed();
  }

  /** Tries every failed job again; returns how many there were. */
  retryFailed(): Promise<number> {
    return this.jobs.retryFailed();
  }

  /** Stops the workers (letting running jobs finish) and closes the queues' connections. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.pumping.values()].map((state) => state.run));
    await Promise.all(this.workers.map((worker) => worker.close()));
    await Promise.all(Object.values(this.queues).map((queue) => queue.close()));
    for (const connection of this.connections) connection.disconnect();
  }
}
