/**
 * Erasure of the personal data in a case: on the person's request (UK GDPR Art 17) or when its
 * records have been kept as long as the organisation keeps them (RECORDS_KEPT_FOR, Art 5(1)(e)).
 * What is left is anonymous: the procedure, the stages and their dates, the deadlines and the
 * decisions, which the organisation's figures and its returns to the ombudsmen are made from.
 * The history keeps each entry's kind, time, stage and who acted for the organisation, with its
 * words replaced.
 *
 * A complaint still being handled is not erased: the organisation must deal with it under the
 * procedure's law, which Art 17(3)(b) leaves in place. If they no longer want it dealt with, staff
 * close it first.
 *
 * @example
 * const result = erase(value, history, { basis: 'request', reason: 'Asked by letter' }, { now, actor });
 * if (!isRefusal(result)) result.next.erased; // { at, basis: 'request' }
 */
import { type Actor, type Case, type CaseEvent, type CaseEventType, FINISHED_STATUSES } from '../case.js';
import type { CaseErasure } from '../case-store.js';
import { formatReference } from '../reference.js';
import { checkedReason } from './rights-reason.js';
import { isRefusal, type Refusal, refuse } from './transition.js';

/** What the erased words read as. */
export const ERASED = '[erased]';

/** Why the data are erased. */
export interface EraseRequest {
  readonly basis: 'request' | 'retention';
  readonly reason: string;
}

/** Who erases, and when. */
export interface EraseContext {
  readonly now: Date;
  readonly actor: Actor;
}

/** An erasure decided: what the store's `erase` takes, less its idempotency key, and a line for whoever asked. */
export interface Erasure extends Omit<CaseErasure, 'idempotencyKey'> {
  readonly done: string;
}

/** What each kind of history entry reads as once its words are gone. */
const KEPT_SUMMARY: Readonly<Record<CaseEventType, string>> = {
  lodged: 'Complaint lodged',
  acknowledged: 'Acknowledged',
  assigned: 'Assigned',
  responded: 'Response sent',
  'escalation-requested': 'Next stage asked for',
  escalated: 'Moved to the next stage',
  extended: 'Time limit extended',
  redirected: 'Redirected',
  'message-relayed': 'Message passed on',
  note: 'Internal note',
  discussion: 'Discussion in the Teams thread',
  'reply-held': 'Reply held before sending',
  viewed: 'Details viewed',
  flagged: 'Flagged',
  closed: 'Closed',
  reopened: 'Reopened',
  withdrawn: 'Withdrawn',
  updated: 'Updated',
  reminded: 'Reminder',
  overdue: 'Deadline passed',
  rectified: 'Details corrected',
  erased: 'Personal data erased',
  ombudsman: 'Ombudsman looking at the complaint',
};

/** A history entry with its words gone: kind, time, stage, and who acted for the organisation. */
function keptEntry(event: CaseEvent): CaseEvent {
  const actor: Actor = event.actor.kind === 'staff' ? event.actor : { kind: event.actor.kind, id: null, name: null };
  return { id: event.id, type: event.type, at: event.at, actor, stage: event.stage, summary: KEPT_SUMMARY[event.type], details: {} };
}

/** The case with every personal detail replaced; what it was about stays only as procedure, stage, dates and decisions. */
function anonymised(current: Case, at: string, basis: EraseRequest['basis']): Case {
  const next = structuredClone(current);
  next.complainant = { name: ERASED, relationship: current.complainant.relationship, relationshipDetail: null };
  next.personAffected = current.personAffected ? { name: null, description: null, child: current.personAffected.child } : null;
  next.whatHappened = ERASED;
  next.outcomeWanted = '';
  next.when = { ...current.when, said: '' };
  next.contact = { email: null, phone: null, preferred: 'chat' };
  next.needs = { adjustments: null, advocacy: current.needs.advocacy };
  const { safeguarding, late, lateEscalation } = current.flags;
  next.flags = {
    ...current.flags,
    safeguarding: safeguarding ? { raisedAt: safeguarding.raisedAt, notes: [ERASED] } : null,
    late: late ? { ...late, reason: null } : null,
    lateEscalation: lateEscalation ? { ...lateEscalation, whyLate: null } : null,
  };
  next.responses = current.responses.map((response) => ({ ...response, text: ERASED }));
  next.conversations = [];
  next.undelivered = [];
  next.heldReplies = [];
  next.erased = { at, basis };
  next.updatedAt = at;
  return next;
}

/** Erases a finished case's personal data, keeping an anonymous record of it. */
export function erase(current: Case, history: readonly CaseEvent[], request: EraseRequest, context: EraseContext): Erasure | Refusal {
  if (current.erased) return refuse('already-erased', 'The personal data in this case were erased already.');
  if (!FINISHED_STATUSES.includes(current.status)) {
    return refuse(
      'not-finished',
      'This complaint is still being handled, and the organisation must deal with it under its procedure, so its data cannot be erased yet. ' +
        'If the person no longer wants it dealt with, close it first (saying they withdrew it), then erase it.',
    );
  }
  const reason = checkedReason(request.reason);
  if (isRefusal(reason)) return reason;
  const at = context.now.toISOString();
  const why = request.basis === 'request' ? "at the person's request" : 'its records had been kept for the retention period';
  return {
    next: anonymised(current, at, request.basis),
    history: history.map(keptEntry),
    event: { type: 'erased', at, actor: context.actor, summary: `Personal data erased: ${why}`, details: { basis: request.basis, reason: reason.reason } },
    events: [{ type: 'card-changed' }],
    done: `The personal data in case ${formatReference(current.reference)} were erased; an anonymous record of it is kept.`,
  };
}
