/**
 * What a case contributes to the indexes a complaints manager works from: its due time (while
 * the organisation owes a response), status, stage and handler. Pure, so the Redis and in-memory
 * stores index identically.
 */
import { type Case, type DeadlineRecord, FINISHED_STATUSES, STATUSES_WITH_A_DEADLINE } from './case.js';

/**
 * The queue position of an open case owing nothing now: the latest time a Date can hold, so it
 * sorts after every deadline and no deadline query (which ends at a real time) reaches it.
 */
export const NOTHING_OWED = 8_640_000_000_000_000;

/** A case's index entries. */
export interface CaseIndexEntry {
  /** End of the current deadline (ms since the epoch) while a response is owed; otherwise null. */
  readonly dueAt: number | null;
  /**
   * The case's place in the staff queue (the due index's score): `dueAt` while something is owed,
   * `NOTHING_OWED` while it is open owing nothing now (responded, say), null once finished.
   */
  readonly queueAt: number | null;
  readonly status: Case['status'];
  readonly procedure: string;
  readonly stage: string;
  readonly handlerId: string | null;
}

/** The deadline now running: the latest one recorded for the case's current stage. */
export function currentDeadline(value: Case): DeadlineRecord | null {
  for (let index = value.deadlines.length - 1; index >= 0; index -= 1) {
    const deadline = value.deadlines[index];
    if (deadline?.stage === value.stage) return deadline;
  }
  return null;
}

/**
 * The index entries for a case. While an acknowledgement is owed, that is what is due first;
 * after it, the current stage's deadline.
 */
export function indexEntryOf(value: Case): CaseIndexEntry {
  const acknowledgement = value.acknowledgement && !value.acknowledgement.acknowledgedAt ? value.acknowledgement.due : null;
  const deadline = acknowledgement ?? currentDeadline(value);
  const dueAt = deadline && STATUSES_WITH_A_DEADLINE.includes(value.status) ? Date.parse(deadline.endsAt) : null;
  return {
    dueAt,
    queueAt: dueAt ?? (FINISHED_STATUSES.includes(value.status) ? null : NOTHING_OWED),
    status: value.status,
    procedure: value.procedure,
    stage: value.stage,
    handlerId: value.handler?.id ?? null,
  };
}

/**
 * When a case counts as finished for retention (ms since the epoch), after a change made at
 * `at`: that time when it is closed, redirected or withdrawn (a store keeps the earliest such
 * time while it stays finished), null while it is open again or once its personal data are erased.
 */
export function finishedAtOf(value: Case, at: string): number | null {
  return FINISHED_STATUSES.includes(value.status) && value.erased === null ? Date.parse(at) : null;
}

/** The contact details a case is found by in a subject access request. */
export function contactDetailsOf(value: Pick<Case, 'contact'>): string[] {
  return [value.contact.email, value.contact.phone].filter((detail): detail is string => detail !== null);
}
