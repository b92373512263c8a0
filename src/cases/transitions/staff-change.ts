/**
 * What every change staff make from a case card shares: who acted and when, the refusal of a
 * closed case, the independence rule, and the events (the card always; the complainant when
 * there is something to tell them).
 */
import type { Case } from '../case.js';
import type { CaseEventInput } from '../case-store.js';
import type { ComplainantNotice, OutboxEventInput } from '../outbox-event.js';
import { formatReference } from '../reference.js';
import type { EscalationPolicy } from '../../policy/index.js';
import { type CaseTransition, draftOf, type Refusal, refuse } from './transition.js';

/** Who acted for the organisation: the Entra object id is what the independence rule compares. */
export interface StaffMemberRef {
  readonly id: string;
  readonly name: string;
}

/** What a staff change needs besides the case and the request. */
export interface StaffContext {
  readonly policy: EscalationPolicy;
  readonly now: Date;
  readonly staff: StaffMemberRef;
  /** The organisation's name, as the complainant is told it. */
  readonly organisation: string;
  /** The time of day after which something received counts as received the next working day. */
  readonly cutOff?: string;
}

/** A staff change: the case change, and one line for the card of whoever acted. */
export interface StaffTransition extends CaseTransition {
  readonly done: string;
}

/** What a staff transition returns. */
export type StaffTransitionResult = StaffTransition | Refusal;

/** What the complainant is told, and under which notice it goes by email or text. */
export interface ComplainantTold {
  readonly notice: ComplainantNotice;
  readonly text: string;
}

/** Statuses in which nothing is left to decide: a case in one takes internal notes only. */
const CLOSED: readonly Case['status'][] = ['closed', 'redirected', 'withdrawn'];

/** The refusal of any change but a note, once the case is closed. */
export function refusedWhenClosed(current: Case): Refusal | null {
  return CLOSED.includes(current.status) ? refuse('case-closed', `This case is ${current.status}; it can take internal notes only.`) : null;
}

/** The independence rule: whoever decided the stage before may not decide `stage` now. */
export function refusedAsNotIndependent(current: Case, stage: string, context: StaffContext): Refusal | null {
  const check = context.policy.checkIndependence({ procedure: current.procedure, stage, decider: context.staff.id, earlier: current.decisions });
  return check.allowed ? null : refuse('not-independent', `${check.explanation} (${check.citation.reference})`);
}

/** A change being made by a member of staff: the copy to change and how to record it. */
export interface StaffDraft {
  readonly next: Case;
  /** The case's reference as people read it. */
  readonly reference: string;
  /** The name of the case's stage before the change. */
  readonly stageName: string;
  /** A history entry by this member of staff, now. */
  event(type: CaseEventInput['type'], summary: string, details?: Record<string, unknown>): CaseEventInput;
  /** The change, with the card brought up to date and, where there is something to say, the complainant told. */
  finish(event: CaseEventInput, done: string, tell?: ComplainantTold | null): StaffTransition;
}

/** Begins a change by a member of staff. */
export function staffDraft(current: Case, context: Pick<StaffContext, 'policy' | 'now' | 'staff'>): StaffDraft {
  const next = draftOf(current, context.now);
  const at = next.updatedAt;
  const actor = { kind: 'staff' as const, id: context.staff.id, name: context.staff.name };
  return {
    next,
    reference: formatReference(current.reference),
    stageName: context.policy.stage(current.procedure, current.stage).name,
    event: (type, summary, details = {}) => ({ type, at, actor: { ...actor }, summary, details }),
    finish: (event, done, tell = null) => {
      const events: OutboxEventInput[] = [{ type: 'card-changed' }];
      if (tell) events.push({ type: 'complainant-told', notice: tell.notice, text: tell.text });
      return { next, event, events, done };
    },
  };
}
