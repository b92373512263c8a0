/**
 * What the outbox's workers record so that every effect happens once and staff see a case's news
 * in order: which of a case's staff effects are still to do (the store writes them with the
 * change), who is doing one now, and which complainant effects are done.
 */
import type { OutboxEvent } from '../cases/outbox-event.js';

/** Whether a worker may do a staff effect now. */
export type StaffEffectClaim = 'go' | 'done' | 'wait';

/** The record of effects done. Redis in production; memory when nothing is kept. */
export interface EffectLedger {
  /** Claims a staff event for the holder of `token`: `go` only when it is its case's next and nobody else is on the case. */
  claimStaffEffect(event: OutboxEvent, token: string, leaseMs: number): Promise<StaffEffectClaim>;
  /** Ends a claim: `done` removes the event from its case's pending effects; the lease is given up either way. */
  finishStaffEffect(event: OutboxEvent, token: string, done: boolean): Promise<void>;
  /** Whether this part (`chat`, `email`, `sms`) of a complainant event was done. */
  isDone(event: OutboxEvent, part: string): Promise<boolean>;
  /** Records a part of a complainant event as done. */
  markDone(event: OutboxEvent, part: string, at: string): Promise<void>;
}
