/**
 * What a transition returns. A transition is a pure decision about one change to a case: it
 * takes the case as it stands, what was asked for and the policy and time it needs, and returns
 * either the whole next case with the history entry recording the change and the events it
 * causes outside the case (what the store writes, in one atomic step), or a refusal saying why
 * not, in words for the person who asked. Nothing is read from a clock, nothing is sent, and the
 * case given is never changed.
 */
import type { Actor, Case } from '../case.js';
import type { CaseChange, CaseEventInput, LodgeRequest } from '../case-store.js';
import type { OutboxEventInput } from '../outbox-event.js';

/** A change decided: exactly what `updateCase` hands the store, less the idempotency key. */
export interface CaseTransition extends Omit<CaseChange, 'idempotencyKey' | 'events'> {
  readonly next: Case;
  readonly event: CaseEventInput;
  /** What the change causes outside the case; empty when nobody need hear of it. */
  readonly events: readonly OutboxEventInput[];
}

/** A new case decided: what the store's `lodge` takes, less what identifies the submission. */
export interface Lodging extends Omit<LodgeRequest, 'secondFactor' | 'submissionKey' | 'events'> {
  readonly events: readonly OutboxEventInput[];
}

/** Why a change was refused, named after the rule it would have broken. */
export type RefusalReason =
  | 'case-closed' // closed, redirected or withdrawn: internal notes only
  | 'awaiting-complainant' // the response has been sent; the complainant decides what next
  | 'already-assigned'
  | 'assigned-to-colleague' // someone else has the case: taking it needs a deliberate "Take over"
  | 'not-on-roster' // the colleague named is not (or no longer) on the staff roster
  | 'already-responded'
  | 'not-independent' // whoever decided an earlier stage may not decide this one
  | 'no-running-deadline'
  | 'already-extended'
  | 'extension-not-allowed'
  | 'escalation-not-allowed'
  | 'late-escalation-pending'
  | 'final-stage'
  | 'no-standing-decision'
  | 'no-late-decision'
  | 'no-late-escalation'
  | 'response-not-owed'
  | 'agreed-response-not-allowed'
  | 'agreed-date-passed'
  | 'already-requested' // the same request to go further was made before (a turn run again)
  | 'moved-on' // the case changed since the request was begun
  | 'already-linked'
  | 'nothing-waiting'
  | 'thread-already-recorded'
  | 'already-kept'
  | 'not-closed'
  | 'redirected-elsewhere'
  | 'already-held' // a reply to the complainant is already held under this id (an action run again)
  | 'no-held-reply'
  | 'reply-already-sent'
  | 'reply-withdrawn'
  | 'reply-still-held' // the timer came before the reply's time
  | 'edit-superseded' // a Teams edit made before the one already applied, delivered late
  | 'too-many-held' // as many replies are held as a case keeps
  | 'already-erased' // the case's personal data were erased: nothing is left to correct or erase
  | 'not-finished' // erasure waits until the complaint is closed, redirected or withdrawn
  | 'no-reason' // a rights action needs its reason recorded
  | 'personal-data-in-reason' // the reason is kept after erasure, so it must not hold contact details
  | 'nothing-to-correct'
  | 'invalid-detail' // a corrected email or phone number is not one
  | 'no-contact-left' // a correction would leave no contact detail where there was one
  | 'not-this-ombudsman' // the ombudsman named does not take complaints under the case's procedure
  | 'told-in-future' // an ombudsman's letter dated after today
  | 'told-before-lodged'; // an ombudsman's letter about the complaint dated before it was made

/** A change not made, and why, in words the person who asked can act on. */
export interface Refusal {
  readonly refused: RefusalReason;
  readonly explanation: string;
}

/** What a transition returns. */
export type TransitionResult = CaseTransition | Refusal;

/** Whether a transition refused. */
export function isRefusal(result: object): result is Refusal {
  return 'refused' in result;
}

/** A refusal. */
export function refuse(refused: RefusalReason, explanation: string): Refusal {
  return { refused, explanation };
}

/** The complainant, as a history entry names them (anonymous: the case has their name). */
export const COMPLAINANT: Actor = Object.freeze({ kind: 'complainant', id: null, name: null });

/** The service itself, acting for nobody in particular. */
export const SYSTEM: Actor = Object.freeze({ kind: 'system', id: null, name: null });

/** A copy of the case to change, stamped with the time of the change. */
export function draftOf(current: Case, now: Date): Case {
  const next = structuredClone(current);
  next.updatedAt = now.toISOString();
  return next;
}

/**
 * What a change tells the complainant in their chat, or null. While messages still go from the
 * request that caused them, callers send this; the outbox's workers will take over from them.
 */
export function chatTextOf(events: readonly OutboxEventInput[]): string | null {
  for (const event of events) if (event.type === 'complainant-told' && event.text !== null) return event.text;
  return null;
}
