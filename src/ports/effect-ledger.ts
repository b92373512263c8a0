/**
 * What the outbox's workers record so that every effect happens once and staff see a case's news
 * in order: which of a case's staff effects are still to do (the store writes them with the
 * change), who is doing one now, and which complainant effects are done.
 */
import type { OutboxEvent } from '../cases/outbox-event.js';

/** Enough of an event to find its records. */
export type EventOfCase = Pick<OutboxEvent, 'id' | 'reference'>;

/** Whether a worker may do a staff effect now. */
export type StaffEffectClaim = 'go' | 'done' | 'wait';

/** The record of effects done. Redis in production; memory when nothing is kept. */
export interface EffectLedger {
  /** Claims a staff event for the holder of `token`: `go` only when it is its case's next and nobody else is on the case. */
  claimStaffEffect(event: OutboxEvent, token: string, leaseMs: number): Promise<StaffEffectClaim>;
  /** Ends a claim: `done` removes the event from its case's pending effects; the lease is given up either way. */
  finishStaffEffect(event: OutboxEvent, token: string, done: boolean): Promise<void>;
  /** Whether this part (`chat`, `seen`, `contact`) of a complainant event was done. */
  isDone(event: EventOfCase, part: string): Promise<boolean>;
  /** Records a part of a complainant event as done, with a note (when, or what it left behind). */
  markDone(event: EventOfCase, part: string, note: string): Promise<void>;
  /** The note recorded with a part, or null if it is not done. */
  noteOf(event: EventOfCase, part: string): Promise<string | null>;
  /**
   * Holds the event's status line for the holder of `token` for at most `ms`, so that two jobs
   * (the message sent, and seen a moment later) do not both post a line or drop each other's
   * step. False when another holds it.
   */
  holdStatusLine(event: EventOfCase, token: string, ms: number): Promise<boolean>;
  /** Gives the hold up, if `token` still has it. */
  releaseStatusLine(event: EventOfCase, token: string): Promise<void>;
}
