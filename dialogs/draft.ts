/**
 * The complaint while it is being written: each answer as it was given, kept in conversation
 * state so a person can change any one of them, and so nothing is lost if saving fails. It
 * becomes a case only when they send it.
 */
import type { Case } from '../src/cases/case.js';
import { deadlineRecord } from '../src/cases/case.js';
import type { EscalationPolicy, LocalDate } from '../src/policy/index.js';

/** Safeguarding notes: what was said that suggests someone may be at risk, and when it was first said. */
export interface SafeguardingNotes {
  raisedAt: string;
  notes: string[];
}

/** Who is complaining, and for whom. */
export interface DraftWho {
  complainantName: string;
  relationship: Case['complainant']['relationship'];
  relationshipDetail: string | null;
  personAffected: Case['personAffected'];
}

/** When it happened, as confirmed (see `Case['when']`), with how it was read back. */
export interface DraftWhen {
  /** The day it is counted from: the day itself, or the latest it could have been; null when not known. */
  date: LocalDate | null;
  /** The first and last days it could have been (absent from drafts saved before ranges were kept). */
  earliest?: LocalDate | null;
  latest?: LocalDate | null;
  basis: 'happened' | 'first-knew';
  certainty: 'exact' | 'approximate' | 'unknown';
  said: string;
  /** How it was read back and confirmed: "summer 2025 (June to August)", "Thursday 3 April 2025". */
  readAs?: string;
}

/** A complaint being written. Every answer is optional until it has been given. */
export interface ComplaintDraft {
  /** Identifies this draft, so sending it twice makes one case. */
  id: string;
  procedure?: string;
  route?: string | null;
  who?: DraftWho;
  whatHappened?: string;
  when?: DraftWhen;
  late?: { limitEndedOn: LocalDate; reason: string | null } | null;
  outcomeWanted?: string;
  contact?: Case['contact'];
  /** Which detail unlocks the case later: their email or phone, or a code we gave them when they had neither. */
  secondFactor?: 'email' | 'phone' | 'code';
  /** The access code given to someone with no email or phone (shown to them, stored hashed). */
  accessCode?: string;
  adjustments?: string | null;
  advocacy?: Case['needs']['advocacy'];
  consentGivenAt?: string;
  /** Anything said while writing it that suggests someone may be at risk (staff were told at once). */
  safeguarding?: SafeguardingNotes;
}

/** A draft was sent before every answer was in: a programming error, or state changed under us. */
class DraftIncomplete extends Error {
  override readonly name = 'DraftIncomplete';
  constructor(readonly missing: readonly string[]) {
    super(`The complaint draft is missing: ${missing.join(', ')}`);
  }
}

/** A new draft, taking over any safeguarding notes said before it began. */
export function startDraft(id: string, heldConcerns: SafeguardingNotes | undefined): ComplaintDraft {
  return heldConcerns ? { id, safeguarding: heldConcerns } : { id };
}

/** The parts of a draft a person can go back and change. */
export const CHANGEABLE = ['procedure', 'who', 'whatHappened', 'when', 'outcomeWanted', 'contact', 'needs'] as const;
export type ChangeablePart = (typeof CHANGEABLE)[number];

/** Whether a value names one of the parts a person can change. */
export function isChangeablePart(value: unknown): value is ChangeablePart {
  return CHANGEABLE.some((part) => part === value);
}

/** Forgets one answer (and those that depend on it), so the conversation asks it again. */
export function forget(draft: ComplaintDraft, part: ChangeablePart): void {
  switch (part) {
    case 'procedure':
      delete draft.procedure;
      delete draft.route;
      delete draft.who; // who may complain depends on the procedure
      delete draft.when; // and so does the time limit the date is checked against
      delete draft.late;
      delete draft.advocacy;
      break;
    case 'who':
      delete draft.who;
      break;
    case 'whatHappened':
      delete draft.whatHappened;
      break;
    case 'when':
      delete draft.when;
      delete draft.late;
      break;
    case 'outcomeWanted':
      delete draft.outcomeWanted;
      break;
    case 'contact':
      delete draft.contact;
      delete draft.secondFactor;
      delete draft.accessCode;
      break;
    case 'needs':
      delete draft.adjustments;
      delete draft.advocacy;
      break;
  }
}

/** The answers still missing before the complaint can be sent (none: it is complete). */
export function missingAnswers(draft: ComplaintDraft): string[] {
  const missing: string[] = [];
  if (!draft.procedure) missing.push('procedure');
  if (!draft.who) missing.push('who');
  if (!draft.whatHappened) missing.push('whatHappened');
  if (!draft.when || draft.late === undefined) missing.push('when');
  if (draft.outcomeWanted === undefined) missing.push('outcomeWanted');
  if (!draft.contact || !draft.secondFactor || (draft.secondFactor === 'code' && !draft.accessCode)) missing.push('contact');
  if (draft.adjustments === undefined || !draft.advocacy) missing.push('needs');
  if (!draft.consentGivenAt) missing.push('consent');
  return missing;
}

/** The detail that unlocks the case: their email, their phone, or the access code they were given. */
export function secondFactorOf(draft: ComplaintDraft): string | null {
  switch (draft.secondFactor) {
    case 'email':
      return draft.contact?.email ?? null;
    case 'phone':
      return draft.contact?.phone ?? null;
    case 'code':
      return draft.accessCode ?? null;
    case undefined:
      return null;
  }
}

/** The case a finished draft becomes, received now (everything but the reference, which the store draws). */
export function caseFromDraft(
  draft: ComplaintDraft,
  now: Date,
  policy: EscalationPolicy,
  options: {
    readonly privacyNoticeVersion: string;
    readonly cutOff?: string | undefined;
    /** Where to reach the complainant later (staff replies, updates). */
    readonly conversation?: Case['conversations'][number] | undefined;
  },
): Omit<Case, 'reference'> {
  const missing = missingAnswers(draft);
  if (
    missing.length > 0 ||
    !draft.procedure ||
    !draft.who ||
    !draft.whatHappened ||
    !draft.when ||
    !draft.contact ||
    !draft.advocacy ||
    !draft.consentGivenAt
  ) {
    throw new DraftIncomplete(missing);
  }
  const procedure = policy.procedure(draft.procedure);
  const stage = procedure.stages[0];
  // The rulebook schema requires at least one stage, so this is a programming error.
  if (!stage) throw new Error(`Procedure ${procedure.id} has no stages`);
  const cutOff = options.cutOff === undefined ? {} : { cutOff: options.cutOff };
  const deadline = policy.responseDeadline({ procedure: procedure.id, stage: stage.id, stageStartedAt: now, ...cutOff });
  const acknowledgement = policy.acknowledgementDeadline({ procedure: procedure.id, received: now, ...cutOff });
  const at = now.toISOString();
  const standing = policy.assessStanding({
    procedure: procedure.id,
    relationship: draft.who.relationship,
    personAffectedIsChild: draft.who.personAffected?.child ?? null,
  });
  return {
    procedure: procedure.id,
    route: draft.route ?? null,
    stage: stage.id,
    status: 'open',
    complainant: { name: draft.who.complainantName, relationship: draft.who.relationship, relationshipDetail: draft.who.relationshipDetail },
    personAffected: draft.who.personAffected,
    whatHappened: draft.whatHappened,
    outcomeWanted: draft.outcomeWanted ?? '',
    when: whenOnCase(draft.when),
    contact: draft.contact,
    needs: { adjustments: draft.adjustments ?? null, advocacy: draft.advocacy },
    consent: { privacyNoticeVersion: options.privacyNoticeVersion, givenAt: draft.consentGivenAt },
    flags: {
      safeguarding: draft.safeguarding ?? null,
      late: draft.late ? { limitEndedOn: draft.late.limitEndedOn, reason: draft.late.reason, decision: 'pending' } : null,
      standing: standing.status === 'needs-decision' ? { check: standing.check, decision: 'pending' } : null,
      lateEscalation: null,
    },
    deadlines: [deadlineRecord(deadline)],
    // Where the service's own confirmation is the acknowledgement (the Complaint Handling Code), it is given now.
    acknowledgement: acknowledgement
      ? { due: deadlineRecord(acknowledgement), acknowledgedAt: policy.procedure(procedure.id).acknowledgement?.acknowledgedBy === 'service' ? at : null }
      : null,
    handler: null,
    decisions: [],
    responses: [],
    conversations: options.conversation ? [options.conversation] : [],
    teamsThread: null,
    undelivered: [],
    heldReplies: [],
    timeline: { done: [] },
    complainantLastWroteAt: null,
    erased: null,
    closure: null,
    ombudsman: null,
    lodgedAt: at,
    updatedAt: at,
  };
}

/**
 * How advocacy is offered for a draft: `arranged` where the body must arrange an advocate for the
 * person complaining (a child or young person, Children Act 1989 s26A); `signposted` where the
 * person is pointed to an advocacy service; null where the procedure names none.
 */
export function advocacyOffer(draft: ComplaintDraft, policy: EscalationPolicy): 'arranged' | 'signposted' | null {
  const advocacy = draft.procedure ? policy.procedure(draft.procedure).advocacy : undefined;
  if (!advocacy) return null;
  return advocacy.childrensDuty && draft.who?.relationship === 'self' ? 'arranged' : 'signposted';
}

/**
 * When it happened, as the case records it. A draft saved before ranges were kept gives its
 * exact day as both ends, and for an approximate day only the latest (the day it was read as).
 */
function whenOnCase(when: DraftWhen): Case['when'] {
  const exact = when.certainty === 'exact' ? when.date : null;
  return {
    date: when.date,
    earliest: when.earliest === undefined ? exact : when.earliest,
    latest: when.latest === undefined ? when.date : when.latest,
    basis: when.basis,
    certainty: when.certainty,
    said: when.said,
  };
}
