/**
 * The complaint while it is being written: each answer as it was given, kept in conversation
 * state so a person can change any one of them, and so nothing is lost if saving fails. It
 * becomes a case only when they send it.
 */
import type { Case } from '../src/cases/case.js';
import { deadlineRecord } from '../src/cases/case.js';
import type { EscalationPolicy, LocalDate } from '../src/policy/index.js';

/** Who is complaining, and for whom. */
export interface DraftWho {
  complainantName: string;
  relationship: Case['complainant']['relationship'];
  relationshipDetail: string | null;
  personAffected: Case['personAffected'];
}

/** A complaint being written. Every answer is optional until it has been given. */
export interface ComplaintDraft {
  /** Identifies this draft, so sending it twice makes one case. */
  id: string;
  procedure?: string;
  route?: string | null;
  who?: DraftWho;
  whatHappened?: string;
  when?: { date: LocalDate | null; basis: 'happened' | 'first-knew'; certainty: 'exact' | 'approximate' | 'unknown'; said: string };
  late?: { limitEndedOn: LocalDate; reason: string | null } | null;
  outcomeWanted?: string;
  contact?: Case['contact'];
  /** Which contact detail unlocks the case later. */
  secondFactor?: 'email' | 'phone';
  adjustments?: string | null;
  advocacy?: Case['needs']['advocacy'];
  consentGivenAt?: string;
}

/** The parts of a draft a person can go back and change. */
export const CHANGEABLE = ['procedure', 'who', 'whatHappened', 'when', 'outcomeWanted', 'contact', 'needs'] as const;
export type ChangeablePart = (typeof CHANGEABLE)[number];

/** Forgets one answer (and those that depend on it), so the conversation asks it again. */
export function forget(draft: ComplaintDraft, part: ChangeablePart): void {
  switch (part) {
    case 'procedure':
      delete draft.procedure;
      delete draft.route;
      delete draft.who; // who may complain depends on the procedure
      delete draft.late;
      delete draft.advocacy;
      break;
    case 'who': delete draft.who; break;
    case 'whatHappened': delete draft.whatHappened; break;
    case 'when': delete draft.when; delete draft.late; break;
    case 'outcomeWanted': delete draft.outcomeWanted; break;
    case 'contact': delete draft.contact; delete draft.secondFactor; break;
    case 'needs': delete draft.adjustments; delete draft.advocacy; break;
  }
}

/** Whether every answer needed to send the complaint has been given. */
export function isComplete(draft: ComplaintDraft): boolean {
  return Boolean(draft.procedure && draft.who && draft.whatHappened && draft.when && draft.late !== undefined
    && draft.outcomeWanted !== undefined && draft.contact && draft.secondFactor && draft.adjustments !== undefined
    && draft.advocacy && draft.consentGivenAt);
}

/** The case a finished draft becomes, received now (everything but the reference, which the store draws). */
export function caseFromDraft(
  draft: ComplaintDraft, now: Date, policy: EscalationPolicy,
  options: {
    readonly safeguarding: Case['flags']['safeguarding'];
    readonly privacyNoticeVersion: string;
    readonly cutOff?: string | undefined;
    /** Where to reach the complainant later (staff replies, updates). */
    readonly conversation?: Case['conversations'][number] | undefined;
  },
): Omit<Case, 'reference'> {
  if (!isComplete(draft) || !draft.procedure || !draft.who || !draft.when || !draft.contact || !draft.advocacy || !draft.consentGivenAt) {
    throw new Error('The draft is not complete');
  }
  const procedure = policy.procedure(draft.procedure);
  const stage = procedure.stages[0];
  if (!stage) throw new Error(`Procedure ${procedure.id} has no stages`);
  const cutOff = options.cutOff === undefined ? {} : { cutOff: options.cutOff };
  const deadline = policy.responseDeadline({ procedure: procedure.id, stage: stage.id, stageStartedAt: now, ...cutOff });
  const acknowledgement = policy.acknowledgementDeadline({ procedure: procedure.id, received: now, ...cutOff });
  const at = now.toISOString();
  return {
    procedure: procedure.id,
    route: draft.route ?? null,
    stage: stage.id,
    status: 'open',
    complainant: { name: draft.who.complainantName, relationship: draft.who.relationship, relationshipDetail: draft.who.relationshipDetail },
    personAffected: draft.who.personAffected,
    whatHappened: draft.whatHappened ?? '',
    outcomeWanted: draft.outcomeWanted ?? '',
    when: draft.when,
    contact: draft.contact,
    needs: { adjustments: draft.adjustments ?? null, advocacy: draft.advocacy },
    consent: { privacyNoticeVersion: options.privacyNoticeVersion, givenAt: draft.consentGivenAt },
    flags: {
      safeguarding: options.safeguarding,
      late: draft.late ? { limitEndedOn: draft.late.limitEndedOn, reason: draft.late.reason, decision: 'pending' } : null,
    },
    deadlines: [deadlineRecord(deadline)],
    acknowledgement: acknowledgement ? { due: deadlineRecord(acknowledgement), acknowledgedAt: null } : null,
    handler: null,
    decisions: [],
    responses: [],
    conversations: options.conversation ? [options.conversation] : [],
    teamsThread: null,
    lodgedAt: at,
    updatedAt: at,
  };
}
