/**
 * The effect ledger in this process's memory, for running without Redis: staff effects are
 * pending from the moment the store's listener hears of them, as the Redis store writes them
 * with the change.
 */
import { isForStaff, type OutboxEvent, staffOrder } from '../../cases/outbox-event.js';
import type { EffectLedger, EventOfCase, StaffEffectClaim } from '../../ports/effect-ledger.js';

/** Effects done, in memory. */
export class MemoryEffectLedger implements EffectLedger {
  private readonly pending = new Map<string, Map<string, number>>();
  private readonly leases = new Map<string, { token: string; until: number }>();
  private readonly done = new Map<string, string>();
  private readonly holds = new Map<string, { token: string; until: number }>();

  /** Records a case's new staff events as pending (what the Redis store does inside its scripts). */
  written(events: readonly OutboxEvent[]): void {
    for (const event of events.filter(isForStaff)) {
      const forCase = this.pending.get(event.reference) ?? new Map<string, number>();
      forCase.set(event.id, staffOrder(event));
      this.pending.set(event.reference, forCase);
    }
  }

  claimStaffEffect(event: OutboxEvent, token: string, leaseMs: number): Promise<StaffEffectClaim> {
    const forCase = this.pending.get(event.reference);
    if (!forCase?.has(event.id)) return Promise.resolve('done');
    const first = [...forCase].sort((a, b) => a[1] - b[1])[0]?.[0];
    if (first !== event.id) return Promise.resolve('wait');
    const lease = this.leases.get(event.reference);
    if (lease && lease.token !== token && lease.until > Date.now()) return Promise.resolve('wait');
    this.leases.set(event.reference, { token, until: Date.now() + leaseMs });
    return Promise.resolve('go');
  }

  finishStaffEffect(event: OutboxEvent, token: string, done: boolean): Promise<void> {
    if (done) this.pending.get(event.reference)?.delete(event.id);
    if (this.leases.get(event.reference)?.token === token) this.leases.delete(event.reference);
    return Promise.resolve();
  }

  isDone(event: EventOfCase, part: string): Promise<boolean> {
    return Promise.resolve(this.done.has(`${event.id}:${part}`));
  }

  markDone(event: EventOfCase, part: string, note: string): Promise<void> {
    this.done.set(`${event.id}:${part}`, note);
    return Promise.resolve();
  }

  noteOf(event: EventOfCase, part: string): Promise<string | null> {
    return Promise.resolve(this.done.get(`${event.id}:${part}`) ?? null);
  }

  holdStatusLine(event: EventOfCase, token: string, ms: number): Promise<boolean> {
    const hold = this.holds.get(event.id);
    if (hold && hold.token !== token && hold.until > Date.now()) return Promise.resolve(false);
    this.holds.set(event.id, { token, until: Date.now() + ms });
    return Promise.resolve(true);
  }

  releaseStatusLine(event: EventOfCase, token: string): Promise<void> {
    if (this.holds.get(event.id)?.token === token) this.holds.delete(event.id);
    return Promise.resolve();
  }
}
