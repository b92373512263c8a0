/**
 * The bot's Prometheus metrics (`GET /metrics`): turns and turn errors by channel, outbox jobs
 * that failed or are retried, how long a saved change takes to reach people by each channel,
 * and the effect queues' depths, read when scraped. Each app owns its registry (not
 * prom-client's global one), so tests and several apps in one process never share counts.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EffectCounts } from '../outbox/effect-runner.js';
import type { DeliveryChannel, EffectMetrics } from '../ports/effect-metrics.js';

/** Seconds from a change being saved to its effect done: a tenth of a second to a day of retries. */
const DELIVERY_BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400];

/** The job states shown per queue (completed jobs are kept only to catch an event relayed twice). */
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** A channel id kept as a label value; others, and any past the first few, count as "other" so the series stay few. */
const CHANNEL_ID = /^[a-z][a-z0-9-]{0,31}$/;
const MAX_CHANNELS = 16;

/** The queue counts did not come in time (Redis is away, and BullMQ's connections wait for it). */
class QueueCountsTooSlow extends Error {
  override readonly name = 'QueueCountsTooSlow';
  constructor(readonly ms: number) {
    super(`The effect queues did not give their counts within ${String(ms)} ms`);
  }
}

/** `counts`, given up after `ms`, so a scrape or a readiness probe never waits for Redis to come back. */
export function countsWithin(counts: () => Promise<EffectCounts>, ms: number): () => Promise<EffectCounts> {
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const tooSlow = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(new QueueCountsTooSlow(ms));
      }, ms);
    });
    try {
      return await Promise.race([counts(), tooSlow]);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Anything a turn runs with that names its channel (a TurnContext), without depending on botbuilder here. */
interface HasChannel {
  readonly activity: { readonly channelId: string };
}

/** The metrics of one app, in a registry of its own. */
export class Metrics implements EffectMetrics {
  private readonly registry = new Registry();
  private readonly channels = new Set<string>();
  private queueCounts: (() => Promise<EffectCounts>) | null = null;
  private readonly turns = new Counter({ name: 'complaints_turns_total', help: 'Turns run, by channel', labelNames: ['channel'], registers: [this.registry] });
  private readonly turnErrors = new Counter({
    name: 'complaints_turn_errors_total',
    help: 'Turns that ended in an error, by channel',
    labelNames: ['channel'],
    registers: [this.registry],
  });
  private readonly jobsFailed = new Counter({
    name: 'complaints_jobs_failed_total',
    help: 'Outbox jobs that failed every attempt (listed by `npm run jobs -- failed`), by queue',
    labelNames: ['queue'],
    registers: [this.registry],
  });
  private readonly jobsRetried = new Counter({
    name: 'complaints_jobs_retried_total',
    help: 'Outbox job attempts that failed and will be tried again, by queue',
    labelNames: ['queue'],
    registers: [this.registry],
  });
  private readonly delivery = new Histogram({
    name: 'complaints_delivery_seconds',
    help: 'Seconds from a change to a case being saved to its effect done, by channel (teams, chat, email, sms)',
    labelNames: ['channel'],
    buckets: DELIVERY_BUCKETS,
    registers: [this.registry],
  });

  private readonly queueJobs: Gauge<'queue' | 'state'> = new Gauge({
    name: 'complaints_queue_jobs',
    help: 'Outbox jobs per queue and state, when scraped',
    labelNames: ['queue', 'state'],
    registers: [this.registry],
    collect: () => this.readQueueCounts(),
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** A turn started on a channel (a Bot Framework channel id). */
  turn(channel: string): void {
    this.turns.inc({ channel: this.channelLabel(channel) });
  }

  /** A turn on a channel ended in an error. */
  turnFailed(channel: string): void {
    this.turnErrors.inc({ channel: this.channelLabel(channel) });
  }

  /** `logic`, counting its turns and the ones that throw (the error still goes on to the adapter's handler). */
  counted<T extends HasChannel>(logic: (context: T) => Promise<void>): (context: T) => Promise<void> {
    return async (context) => {
      const channel = context.activity.channelId;
      this.turn(channel);
      try {
        await logic(context);
      } catch (error) {
        this.turnFailed(channel);
        throw error;
      }
    };
  }

  /** An outbox job failed: for good (`final`), or to be tried again. */
  jobFailed(queue: string, final: boolean): void {
    (final ? this.jobsFailed : this.jobsRetried).inc({ queue });
  }

  /** An effect was done by `channel` at `now`, for a change saved at `savedAt`. */
  delivered(channel: DeliveryChannel, savedAt: string, now: Date): void {
    const seconds = (now.getTime() - Date.parse(savedAt)) / 1000;
    // Instances' clocks may differ a little: a delivery is never before its change.
    if (Number.isFinite(seconds)) this.delivery.observe({ channel }, Math.max(0, seconds));
  }

  /** Where the queue depths come from at each scrape. */
  setQueueCounts(provider: () => Promise<EffectCounts>): void {
    this.queueCounts = provider;
  }

  /** Every metric in Prometheus' text format. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private async readQueueCounts(): Promise<void> {
    // Counts that cannot be read are left out rather than shown stale.
    this.queueJobs.reset();
    const counts = this.queueCounts ? await this.queueCounts().catch(() => null) : null;
    if (!counts) return;
    for (const [queue, count] of Object.entries(counts)) {
      for (const state of QUEUE_STATES) this.queueJobs.set({ queue, state }, count[state]);
    }
  }

  private channelLabel(channel: string): string {
    if (this.channels.has(channel)) return channel;
    if (!CHANNEL_ID.test(channel) || this.channels.size >= MAX_CHANNELS) return 'other';
    this.channels.add(channel);
    return channel;
  }
}
