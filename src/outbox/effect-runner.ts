/**
 * What runs the outbox's effects: BullMQ on Redis (see storage/redis/effect-queues.ts), or, when
 * nothing is kept, this process at once.
 */
import type { OutboxEvent } from '../cases/outbox-event.js';
import type { MemoryEffectLedger } from '../storage/memory/memory-effect-ledger.js';
import {
  EffectMustWait,
  type EffectDeps,
  performComplainantEffect,
  performStaffEffect,
  performSeenStatus,
  performUnseenCheck,
  recordSeen,
  reportDeliveryFailed,
} from './effects.js';
import { isForStaff } from '../cases/outbox-event.js';

/** Jobs waiting, running, delayed or failed, per queue. */
export type EffectCounts = Record<'staff' | 'complainant', { waiting: number; active: number; delayed: number; failed: number; completed: number }>;

/** Runs the effects of saved events. */
export interface EffectRunner {
  /** False when effects not yet done are lost if the process stops. */
  readonly durable: boolean;
  counts(): Promise<EffectCounts>;
  /** Whether nothing is on its way (for tests and an orderly shutdown). */
  idle(): Promise<boolean>;
  /** The complainant's chat showed a staff message (see `recordSeen`). */
  seen(messageId: unknown, conversationId: string): Promise<boolean>;
  close(): Promise<void>;
}

/** How often, and how long apart, this process tries an effect before giving up on it. */
const ATTEMPTS = 5;
const FIRST_WAIT_MS = 1000;

/**
 * Effects run in this process as events are saved (for running without Redis): in order per
 * case, tried a few times, and lost if the process stops, as everything else is without Redis.
 */
export class InProcessEffectRunner implements EffectRunner {
  readonly durable = false;
  private readonly perCase = new Map<string, Promise<void>>();
  private readonly failedEvents: OutboxEvent[] = [];
  private running = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly deps: EffectDeps,
    private readonly ledger: MemoryEffectLedger,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
  ) {}

  /** The store saved these events. */
  written(events: readonly OutboxEvent[]): void {
    this.ledger.written(events);
    for (const event of events) {
      // One case's events one after another, in the order they were caused.
      const before = this.perCase.get(event.reference) ?? Promise.resolve();
      const next = before.then(() => this.perform(event));
      this.perCase.set(event.reference, next);
      void next.finally(() => {
        if (this.perCase.get(event.reference) === next) this.perCase.delete(event.reference);
      });
    }
  }

  private async perform(event: OutboxEvent): Promise<void> {
    this.running += 1;
    try {
      for (let attempt = 1; attempt <= ATTEMPTS && !this.closed; attempt += 1) {
        try {
          if (isForStaff(event)) await performStaffEffect(event, this.deps, 'this-process', 60_000);
          else {
            const followUp = await performComplainantEffect(event, this.deps);
            if (followUp) this.later(event, followUp.unseenCheckInMs);
          }
          return;
        } catch (error) {
          if (!(error instanceof EffectMustWait))
            this.deps.log.warn('outbox.effect-failed', { type: event.type, attempt, error: error instanceof Error ? error.name : 'unknown' });
          if (attempt < ATTEMPTS) await this.sleep(FIRST_WAIT_MS * 2 ** (attempt - 1));
        }
      }
      this.failedEvents.push(event);
      this.deps.log.error('outbox.job-failed', { type: event.type });
      await reportDeliveryFailed(event, this.deps).catch(() => undefined);
    } finally {
      this.running -= 1;
    }
  }

  /** Checks later that a staff message shown in the chat was seen (lost if the process stops first). */
  private later(event: OutboxEvent, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void performUnseenCheck(event, this.deps).catch((error: unknown) => {
        this.deps.log.warn('outbox.effect-failed', { type: 'unseen-check', error: error instanceof Error ? error.name : 'unknown' });
      });
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  /** Waits until every effect started so far has run (for tests and shutdown). */
  async settled(): Promise<void> {
    // The memory store tells its listeners after the writer has its answer (on the next turn of the event loop).
    await new Promise((resolve) => setImmediate(resolve));
    while (this.perCase.size > 0) await Promise.all([...this.perCase.values()]);
  }

  idle(): Promise<boolean> {
    return Promise.resolve(this.perCase.size === 0 && this.running === 0);
  }

  async seen(messageId: unknown, conversationId: string): Promise<boolean> {
    const event = await recordSeen(this.deps, messageId, conversationId);
    if (!event) return false;
    await performSeenStatus(event, this.deps).catch((error: unknown) => {
      this.deps.log.warn('outbox.effect-failed', { type: 'seen-status', error: error instanceof Error ? error.name : 'unknown' });
    });
    return true;
  }

  counts(): Promise<EffectCounts> {
    const staffFailed = this.failedEvents.filter(isForStaff).length;
    return Promise.resolve({
      staff: { waiting: 0, active: this.running, delayed: 0, failed: staffFailed, completed: 0 },
      complainant: { waiting: 0, active: 0, delayed: 0, failed: this.failedEvents.length - staffFailed, completed: 0 },
    });
  }

  async close(): Promise<void> {
    await this.settled();
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
  }
}
