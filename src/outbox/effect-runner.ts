/**
 * What runs the outbox's effects: BullMQ on Redis (see storage/redis/effect-queues.ts), or, when
 * nothing is kept, this process at once.
 */
import type { OutboxEvent } from '../cases/outbox-event.js';
import type { MemoryEffectLedger } from '../storage/memory/memory-effect-ledger.js';
import { EffectMustWait, type EffectDeps, performComplainantEffect, performStaffEffect } from './effects.js';
import { isForStaff } from '../cases/outbox-event.js';

/** Jobs waiting, running, delayed or failed, per queue. */
export type EffectCounts = Record<'staff' | 'complainant', { waiting: number; active: number; delayed: number; failed: number; completed: number }>;

/** Runs the effects of saved events. */
export interface EffectRunner {
  /** False when effects not yet done are lost if the process stops. */
  readonly durable: boolean;
  counts(): Promise<EffectCounts>;
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
          if (isForStaff(event)) await performStaffEffect(event, this.deps, 'this-process');
          else await performComplainantEffect(event, this.deps);
          return;
        } catch (error) {
          if (!(error instanceof EffectMustWait))
            this.deps.log.warn('outbox.effect-failed', { type: event.type, attempt, error: error instanceof Error ? error.name : 'unknown' });
          if (attempt < ATTEMPTS) await this.sleep(FIRST_WAIT_MS * 2 ** (attempt - 1));
        }
      }
      this.failedEvents.push(event);
      this.deps.log.error('outbox.job-failed', { type: event.type });
    } finally {
      this.running -= 1;
    }
  }

  /** Waits until every effect started so far has run (for tests and shutdown). */
  async settled(): Promise<void> {
    while (this.perCase.size > 0) await Promise.all([...this.perCase.values()]);
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
  }
}
