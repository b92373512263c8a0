/**
 * What runs the outbox's effects: BullMQ on Redis (see storage/redis/effect-queues.ts), or, when
 * nothing is kept, this process at once.
 */
import type { OutboxEvent } from '../cases/outbox-event.js';
import type { MemoryEffectLedger } from '../storage/memory/memory-effect-ledger.js';
import {
  EffectMustWait,
  EffectNotYet,
  type EffectDeps,
  performConcernEffect,
  performDigestEffect,
  performCalendarNoticeEffect,
  performComplainantEffect,
  performHeldReply,
  performStaffEffect,
  performSeenStatus,
  performUnseenCheck,
  recordSeen,
  reportDeliveryFailed,
} from './effects.js';
import { isForStaff } from '../cases/outbox-event.js';
import type { UrgentConcern } from './urgent-concern.js';
import type { DigestRequest } from '../timekeeping/digest.js';
import type { CalendarNotice } from '../timekeeping/calendar-change.js';
import type { UrgentConcerns } from '../ports/urgent-concerns.js';

/** Jobs waiting, running, delayed or failed, per queue. */
export type EffectCounts = Record<'staff' | 'complainant', { waiting: number; active: number; delayed: number; failed: number; completed: number }>;

/** Runs the effects of saved events. */
export interface EffectRunner extends UrgentConcerns {
  /** False when effects not yet done are lost if the process stops. */
  readonly durable: boolean;
  counts(): Promise<EffectCounts>;
  /** Whether nothing is on its way (for tests and an orderly shutdown). */
  idle(): Promise<boolean>;
  /** Queues the day's digest for the channel; the same day's twice is posted once. */
  raiseDigest(request: DigestRequest): Promise<void>;
  /** Queues the post saying which cases a new calendar moved; once per calendar version. */
  raiseCalendarNotice(notice: CalendarNotice): Promise<void>;
  /** The complainant's chat showed a staff message (see `recordSeen`). */
  seen(messageId: unknown, conversationId: string): Promise<boolean>;
  close(): Promise<void>;
}

/** What an effect is, for the log, and which queue it would be in on Redis (for the counts). */
interface EffectKind {
  readonly type: string;
  readonly queue: 'staff' | 'complainant';
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
  /** Which queue each effect that failed for good would have been in. */
  private readonly failedJobs: ('staff' | 'complainant')[] = [];
  private running = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** The digests and calendar posts asked for, by id: each once. */
  private readonly digests = new Set<string>();
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
      this.inLine(
        event.reference,
        { type: event.type, queue: isForStaff(event) ? 'staff' : 'complainant' },
        () => this.performEvent(event),
        () => reportDeliveryFailed(event, this.deps),
      );
    }
  }

  raiseConcern(concern: UrgentConcern): Promise<void> {
    // A line of its own: it waits for nothing else.
    this.inLine(
      concern.id,
      { type: 'concern', queue: 'staff' },
      () => performConcernEffect(concern, this.deps),
      () => Promise.resolve(),
    );
    return Promise.resolve();
  }

  raiseDigest(request: DigestRequest): Promise<void> {
    if (this.digests.has(request.id)) return Promise.resolve();
    this.digests.add(request.id);
    this.inLine(
      request.id,
      { type: 'digest', queue: 'staff' },
      () => performDigestEffect(this.deps),
      () => Promise.resolve(),
    );
    return Promise.resolve();
  }

  raiseCalendarNotice(notice: CalendarNotice): Promise<void> {
    if (this.digests.has(notice.id)) return Promise.resolve();
    this.digests.add(notice.id);
    this.inLine(
      notice.id,
      { type: 'calendar', queue: 'staff' },
      () => performCalendarNoticeEffect(notice, this.deps),
      () => Promise.resolve(),
    );
    return Promise.resolve();
  }

  /** Runs `perform` after whatever is already in `line`. */
  private inLine(line: string, what: EffectKind, perform: () => Promise<void>, onFailure: () => Promise<void>): void {
    const before = this.perCase.get(line) ?? Promise.resolve();
    const next = before.then(() => this.tried(what, perform, onFailure));
    this.perCase.set(line, next);
    void next.finally(() => {
      if (this.perCase.get(line) === next) this.perCase.delete(line);
    });
  }

  private async performEvent(event: OutboxEvent): Promise<void> {
    if (isForStaff(event)) await performStaffEffect(event, this.deps, 'this-process', 60_000);
    else if (event.type === 'reply-held') await this.heldReply(event);
    else {
      const followUp = await performComplainantEffect(event, this.deps);
      if (followUp) this.later(event, followUp.unseenCheckInMs);
    }
  }

  /** Tries an effect a few times, a little longer apart each time, and reports it if it never works. */
  private async tried(what: EffectKind, perform: () => Promise<void>, onFailure: () => Promise<void>): Promise<void> {
    this.running += 1;
    try {
      for (let attempt = 1; attempt <= ATTEMPTS && !this.closed; attempt += 1) {
        try {
          await perform();
          return;
        } catch (error) {
          if (!(error instanceof EffectMustWait))
            this.deps.log.warn('outbox.effect-failed', { type: what.type, attempt, error: error instanceof Error ? error.name : 'unknown' });
          if (attempt < ATTEMPTS) await this.sleep(FIRST_WAIT_MS * 2 ** (attempt - 1));
        }
      }
      this.failedJobs.push(what.queue);
      this.deps.log.error('outbox.job-failed', { type: what.type });
      await onFailure().catch(() => undefined);
    } finally {
      this.running -= 1;
    }
  }

  /** Sends a held reply when its time is up (lost if the process stops first, as everything here is). */
  private async heldReply(event: OutboxEvent): Promise<void> {
    try {
      await performHeldReply(event, this.deps);
    } catch (error) {
      if (!(error instanceof EffectNotYet)) throw error;
      // Waited for outside the case's line, which the case's other effects go on using meanwhile.
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.inLine(
          event.reference,
          { type: 'held-reply', queue: 'complainant' },
          () => this.heldReply(event),
          () => reportDeliveryFailed(event, this.deps),
        );
      }, error.waitMs);
      timer.unref();
      this.timers.add(timer);
    }
  }

  /** Checks later that a staff message shown in the chat was seen (lost if the process stops first). */
  private later(event: OutboxEvent, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.inLine(
        event.reference,
        { type: 'unseen-check', queue: 'complainant' },
        () => performUnseenCheck(event, this.deps),
        () => Promise.resolve(),
      );
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
    // In its case's line: the "sent" step may still be going onto the status line.
    this.inLine(
      event.reference,
      { type: 'seen-status', queue: 'complainant' },
      () => performSeenStatus(event, this.deps),
      () => Promise.resolve(),
    );
    return true;
  }

  counts(): Promise<EffectCounts> {
    const staffFailed = this.failedJobs.filter((queue) => queue === 'staff').length;
    return Promise.resolve({
      staff: { waiting: 0, active: this.running, delayed: 0, failed: staffFailed, completed: 0 },
      complainant: { waiting: 0, active: 0, delayed: 0, failed: this.failedJobs.length - staffFailed, completed: 0 },
    });
  }

  async close(): Promise<void> {
    await this.settled();
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
  }
}
