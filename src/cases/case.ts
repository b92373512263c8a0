/**
 * A complaint case and the events in its history, as zod schemas. Every write and every read of
 * a case goes through these, so a bad record is refused at the door and a damaged one is noticed
 * rather than shown. Text fields have upper bounds: a person may write at length, but nobody can
 * make one case swallow the store.
 */
import { z } from 'zod';
import { type Deadline, isLocalDate, relationshipSchema } from '../policy/index.js';
import { isCaseReference } from './reference.js';

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
const instant = z.iso.datetime({ offset: true });
const localDate = z.string().refine(isLocalDate, 'must be a real date, YYYY-MM-DD');
const text = (max: number) => z.string().max(max);
const someText = (max: number) => z.string().trim().min(1).max(max);

/** A case reference in its normalised form. */
const referenceSchema = z.string().refine(isCaseReference, 'must be a valid case reference');

/** Where a case stands. */
const caseStatusSchema = z.enum([
  'open', // lodged; nobody has picked it up yet
  'awaiting-response', // assigned; the complainant is waiting for the stage's response
  'responded', // the stage's response has been sent; the complainant may accept it or escalate
  'escalation-requested', // the complainant has asked for the next stage; staff to move it
  'closed',
  'redirected', // another organisation is the right one; the complainant was told which
  'withdrawn',
]);
export type CaseStatus = z.output<typeof caseStatusSchema>;
export const CASE_STATUSES: readonly CaseStatus[] = caseStatusSchema.options;

/** Statuses in which the case is finished: its records are kept for RECORDS_KEPT_FOR from then, then anonymised. */
export const FINISHED_STATUSES: readonly CaseStatus[] = ['closed', 'redirected', 'withdrawn'];

/** Statuses in which the organisation owes the complainant something by a date. */
export const STATUSES_WITH_A_DEADLINE: readonly CaseStatus[] = ['open', 'awaiting-response', 'escalation-requested'];

/** A deadline as recorded on a case: the date and everything needed to recompute and defend it. */
const deadlineRecordSchema = z.strictObject({
  stage: slug,
  timeLimit: slug,
  kind: z.enum(['acknowledgement', 'response', 'meeting', 'report', 'explanation-duty']),
  due: localDate,
  endsAt: instant,
  amount: z.number().int().min(0),
  unit: z.enum(['working-days', 'calendar-days', 'months']),
  extended: z.boolean(),
  rule: someText(500),
  citation: someText(500),
  receivedOn: localDate,
  countsFrom: localDate,
  calendarVersion: someText(100),
  beyondCalendarCoverage: z.boolean(),
});
export type DeadlineRecord = z.output<typeof deadlineRecordSchema>;

/** What a deadline from the policy module becomes on a case. */
export function deadlineRecord(deadline: Deadline): DeadlineRecord {
  return {
    stage: deadline.stage,
    timeLimit: deadline.timeLimit,
    kind: deadline.kind,
    due: deadline.due,
    endsAt: deadline.endsAt,
    amount: deadline.rule.amount,
    unit: deadline.rule.unit,
    extended: deadline.rule.extended,
    rule: deadline.rule.text,
    citation: deadline.citation.reference,
    receivedOn: deadline.start.receivedOn,
    countsFrom: deadline.start.countsFrom,
    calendarVersion: deadline.calendarVersion,
    beyondCalendarCoverage: deadline.beyondCalendarCoverage,
  };
}

/** Enough of a Bot Framework conversation reference to message the complainant later. */
export const conversationReferenceSchema = z.strictObject({
  channelId: someText(100),
  serviceUrl: z.url().max(2000),
  conversation: z.strictObject({ id: someText(1000), tenantId: text(200).optional() }),
  bot: z.strictObject({ id: someText(500), name: text(200).optional() }),
  user: z.strictObject({ id: someText(500), name: text(200).optional() }),
  locale: text(35).optional(),
});
export type StoredConversationReference = z.output<typeof conversationReferenceSchema>;

/** The Teams channel post for a case, whose thread carries all later traffic about it. */
const teamsThreadSchema = z.strictObject({
  conversationId: someText(1000),
  rootActivityId: someText(500),
  serviceUrl: z.url().max(2000),
  tenantId: someText(200),
  channelId: someText(500),
});

/** Who acted: the complainant, a member of staff, or the system itself. */
const actorSchema = z.strictObject({
  kind: z.enum(['complainant', 'staff', 'system']),
  id: text(500).nullable(),
  name: text(200).nullable(),
});
export type Actor = z.output<typeof actorSchema>;

/** How many safeguarding notes a case keeps (the first ones: staff were alerted to each as it came). */
export const SAFEGUARDING_NOTES = 10;

/** What a response found: the complaint upheld, partly upheld, or not upheld ("well-founded", in the NHS regulations' words). */
export const responseOutcomeSchema = z.enum(['upheld', 'partly-upheld', 'not-upheld']);
export type ResponseOutcome = z.output<typeof responseOutcomeSchema>;

/** A decision staff make on a flag. */
const decisionSchema = z.enum(['pending', 'accepted', 'declined']);

/** A complaint case. */
/** How many held replies a case keeps (those still held always; the rest only to answer a late Undo or edit). */
export const HELD_REPLIES_KEPT = 20;

export const caseSchema = z.strictObject({
  reference: referenceSchema,
  procedure: slug,
  /** Which of the stage's routes the complaint took, where it has several (NHS: provider or commissioner). */
  route: slug.nullable(),
  stage: slug,
  status: caseStatusSchema,
  complainant: z.strictObject({
    name: someText(200),
    /** How the person chatting relates to the person affected ("self" when it is about them). */
    relationship: relationshipSchema,
    relationshipDetail: text(200).nullable(),
  }),
  /** The person the complaint is about, when it is not the complainant. */
  personAffected: z
    .strictObject({
      name: text(200).nullable(),
      description: text(500).nullable(),
      /** Whether they are a child (under 18), where the procedure needs to know (SI 2009/309 reg 5); null when not asked. */
      child: z.boolean().nullable().default(null),
    })
    .nullable(),
  whatHappened: someText(50_000),
  outcomeWanted: text(10_000),
  /**
   * When it happened (or they found out), kept at the precision they gave it: an exact day, or
   * the range of days it could have been ("summer 2025" is 1 June to 31 August 2025).
   */
  when: z
    .strictObject({
      /**
       * The day time limits count from: the day itself when exact; otherwise the latest it could
       * have been, the reading most favourable to the complainant. Null when not known.
       */
      date: localDate.nullable(),
      /** The first day it could have been; null when not known, or known only to be before a day. Older cases have none. */
      earliest: localDate.nullable().default(null),
      /** The last day it could have been (equal to `earliest` for an exact day); null when not known. Older cases have none. */
      latest: localDate.nullable().default(null),
      basis: z.enum(['happened', 'first-knew']),
      certainty: z.enum(['exact', 'approximate', 'unknown']),
      /** Their own words ("last Tuesday"), kept beside our reading of them. */
      said: text(500),
    })
    .refine((when) => when.earliest === null || when.latest === null || when.earliest <= when.latest, 'the earliest day must not be after the latest'),
  contact: z
    .strictObject({
      email: z.email().max(320).nullable(),
      phone: z
        .string()
        .regex(/^\+44\d{9,10}$/, 'must be a UK number in international form, e.g. +447700900123')
        .nullable(),
      preferred: z.enum(['email', 'phone', 'chat']),
    })
    .refine(
      (contact) => (contact.preferred !== 'email' || contact.email !== null) && (contact.preferred !== 'phone' || contact.phone !== null),
      'the preferred contact method needs its detail',
    ),
  needs: z.strictObject({
    adjustments: text(2000).nullable(),
    advocacy: z.enum(['not-needed', 'requested', 'has-advocate', 'not-offered']),
  }),
  consent: z.strictObject({ privacyNoticeVersion: someText(50), givenAt: instant }),
  flags: z.strictObject({
    /** Words suggesting someone is at risk, each as said (staff were told at the time). */
    safeguarding: z.strictObject({ raisedAt: instant, notes: z.array(someText(1000)).min(1).max(SAFEGUARDING_NOTES) }).nullable(),
    /** The complaint was made after the procedure's time limit: staff decide whether to consider it. */
    late: z.strictObject({ limitEndedOn: localDate, reason: text(2000).nullable(), decision: decisionSchema }).nullable(),
    /**
     * The complainant asked for the next stage after the time to ask had passed. The case stays
     * where it is until staff decide; if they agree, it moves then, with a clock from that day.
     */
    /**
     * Who is complaining needs a decision before the complaint is considered: sufficient interest
     * in a child's welfare (children's social care), or a representative for a child (NHS reg 5).
     */
    standing: z
      .strictObject({ check: z.enum(['sufficient-interest', 'representative-for-child']), decision: decisionSchema })
      .nullable()
      .default(null),
    lateEscalation: z
      .strictObject({
        to: slug,
        windowClosedOn: localDate,
        requestedAt: instant,
        whyLate: text(2000).nullable(),
        decision: decisionSchema,
      })
      .nullable()
      .default(null),
  }),
  deadlines: z.array(deadlineRecordSchema).max(100),
  /** Where the procedure sets a time to acknowledge the complaint: when, and whether it has been. */
  acknowledgement: z.strictObject({ due: deadlineRecordSchema, acknowledgedAt: instant.nullable() }).nullable(),
  handler: z.strictObject({ id: someText(500), name: someText(200) }).nullable(),
  /** Who decided each stage, for the independence rule. */
  decisions: z.array(z.strictObject({ stage: slug, decidedBy: someText(500) })).max(50),
  responses: z
    .array(
      z.strictObject({
        stage: slug,
        at: instant,
        text: someText(20_000),
        by: actorSchema,
        /** What the response found, as staff recorded it when sending it (the figures count it); null in records made before it was asked. */
        outcome: responseOutcomeSchema.nullable().default(null),
      }),
    )
    .max(100),
  conversations: z.array(conversationReferenceSchema).max(10),
  teamsThread: teamsThreadSchema.nullable(),
  /**
   * Messages from staff that could not reach the complainant's conversation when sent: shown the
   * next time they talk to the bot (then removed). Oldest first.
   */
  // Room for a 20,000-character response and the words around it.
  undelivered: z
    .array(z.strictObject({ id: someText(200), at: instant, text: someText(30_000) }))
    .max(50)
    .default([]),
  /**
   * Replies to the complainant held for a moment before they go, so staff can undo or change
   * them (see `transitions/held-reply.ts`); the latest few are kept with what became of them.
   */
  heldReplies: z
    .array(
      z.strictObject({
        /** The Teams message or card action that made it: what an edit or a deletion names. */
        id: someText(200),
        text: someText(5000),
        by: z.strictObject({ id: someText(500), name: someText(200) }),
        until: instant,
        state: z.enum(['held', 'sent', 'withdrawn']),
        /** When the Teams edit that gave it its words was made: an older edit arriving later is not applied. */
        editedAt: instant.optional(),
      }),
    )
    .max(HELD_REPLIES_KEPT)
    .default([]),
  /** When the complainant last wrote to staff about the case (an unhappy word after a response holds its closing). */
  complainantLastWroteAt: instant.nullable().default(null),
  /**
   * Moments of the case's timeline already done (or passed over), by key: what makes each
   * reminder, alert and closing happen once (see `timeline.ts`). Only keys of moments still
   * computed are kept, so the list stays short.
   */
  timeline: z.strictObject({ done: z.array(z.string().min(1).max(200)).max(100) }).default({ done: [] }),
  /**
   * When the personal data in the case were erased (on request, or when its records had been kept
   * as long as RECORDS_KEPT_FOR says): what is left is the anonymised record (procedure, stages,
   * dates, decisions) the organisation's figures and the ombudsmen's returns are made from.
   */
  erased: z
    .strictObject({ at: instant, basis: z.enum(['request', 'retention']) })
    .nullable()
    .default(null),
  /**
   * How a closed case came to close (for the figures): decided by staff, or because the time to
   * take it further passed without a request. Null while it is not closed (and in records kept
   * before this was recorded).
   */
  closure: z.enum(['decided', 'window-passed']).nullable().default(null),
  /**
   * An ombudsman looking at the complaint, as the organisation was told (the ombudsman writes to
   * it when they take a complaint on): staff record it, and the yearly figures count it.
   */
  ombudsman: z
    .strictObject({ id: slug, name: someText(200), toldOn: localDate, recordedBy: someText(200) })
    .nullable()
    .default(null),
  lodgedAt: instant,
  updatedAt: instant,
});
export type Case = z.output<typeof caseSchema>;

/** The kinds of event in a case's history. */
const caseEventTypeSchema = z.enum([
  'lodged',
  'acknowledged',
  'assigned',
  'responded',
  'escalation-requested',
  'escalated',
  'extended',
  'redirected',
  'message-relayed',
  'note',
  'discussion', // colleagues talking in the case's Teams thread (never sent to the complainant)
  'reply-held', // a reply to the complainant held before it goes: held, changed or undone (sending it is 'message-relayed')
  'viewed', // a member of staff opened the case's full details (at most once an hour each)
  'flagged',
  'closed',
  'reopened',
  'withdrawn',
  'updated',
  'reminded', // time passed: staff or the complainant were reminded of a date
  'overdue', // a deadline we owe passed unmet
  'rectified', // personal details corrected at the person's request (which fields and why, never the old values)
  'erased', // the personal data erased; the history kept only as what happened when
  'ombudsman', // staff recorded that an ombudsman is looking at the complaint
]);
export type CaseEventType = z.output<typeof caseEventTypeSchema>;

/** One entry in a case's append-only history. */
export const caseEventSchema = z.strictObject({
  id: someText(100),
  type: caseEventTypeSchema,
  at: instant,
  actor: actorSchema,
  stage: slug,
  /** One line for the history list. */
  summary: someText(1000),
  details: z.record(z.string().max(100), z.json()).refine((details) => JSON.stringify(details).length <= 60_000, 'details are too large'),
});
export type CaseEvent = z.output<typeof caseEventSchema>;

/** A case with its storage version (incremented by every change). */
export interface StoredCase {
  readonly case: Case;
  readonly version: number;
}
