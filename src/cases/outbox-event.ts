/**
 * What a change to a case causes to happen outside it: staff to be told in Teams, the
 * complainant to be told in their chat, by email or by text. A transition returns these beside
 * the new case; the store writes them in the same atomic step as the case (the outbox), and
 * workers perform them later, each once, by the event's id. They say what happened in the
 * language of the case; which channel carries it is the workers' business.
 */
import { z } from 'zod';
import { isCaseReference } from './reference.js';

const instant = z.iso.datetime({ offset: true });

/** Why staff are alerted in the case's Teams thread (the card is brought up to date as well). */
const staffAlertSchema = z.enum(['lodged', 'escalation-requested', 'flagged']);
export type StaffAlert = z.output<typeof staffAlertSchema>;

/**
 * Why the complainant is told something. Each has its own email and text template; none of them
 * carries the complaint's words or a staff message unless the organisation allows content.
 */
const complainantNoticeSchema = z.enum([
  'acknowledgement', // the complaint was lodged: its reference and when they will hear back
  'message', // staff wrote to them
  'response', // the stage's response
  'deadline-changed', // an extension or an escalation moved the date they will hear back
  'redirected', // another organisation is the right one
  'closed',
  'late', // a deadline we owe them has passed: we are late, and what they can do now
  'window-closing', // a window they must meet (to ask for the next stage, the ombudsman's) closes soon
]);
export type ComplainantNotice = z.output<typeof complainantNoticeSchema>;

/** Staff are told in the case's thread (the card is posted first if there is none yet). */
const staffAlerted = z.strictObject({ type: z.literal('staff-alerted'), alert: staffAlertSchema });
/** The complainant wrote to staff: their words go into the case's thread. */
const complainantWrote = z.strictObject({ type: z.literal('complainant-wrote'), text: z.string().min(1).max(20_000) });
/**
 * Time passed: staff are reminded of a deadline, alerted that it has passed, or told the case
 * closed itself. Said in the thread (the card brought up to date), and to the person assigned
 * in a personal chat; an unassigned case's reminder offers "Assign to me".
 */
const staffReminded = z.strictObject({
  type: z.literal('staff-reminded'),
  moment: z.enum(['reminder', 'overdue', 'resolved']),
  text: z.string().min(1).max(2000),
  /** Who the case is assigned to, to be told personally; null when nobody is. */
  assignee: z.strictObject({ id: z.string().min(1).max(500), name: z.string().min(1).max(200) }).nullable(),
});
/** The case card should show the case as it now stands (no words in the thread). */
const cardChanged = z.strictObject({ type: z.literal('card-changed') });
/**
 * The complainant is to be told something: `text` goes to their chat (kept for their next visit
 * if it cannot be shown); email or text follows by their preference, at once or when the chat
 * message has not been seen in time.
 */
const complainantTold = z.strictObject({
  type: z.literal('complainant-told'),
  notice: complainantNoticeSchema,
  /** What the chat shows; null when the notice goes by email or text only (the acknowledgement). */
  text: z.string().min(1).max(30_000).nullable(),
});

/**
 * A member of staff wrote to the complainant from outside the case's thread (the staff tab):
 * the thread says so, so that it stays the whole story. Their words stay in the case's history.
 */
const staffWrote = z.strictObject({ type: z.literal('staff-wrote'), by: z.string().min(1).max(200) });

/** A member of staff is told something about a case personally (a case given to them, or taken from them), in their chat with the bot. */
const colleagueTold = z.strictObject({
  type: z.literal('colleague-told'),
  person: z.strictObject({ id: z.string().min(1).max(500), name: z.string().min(1).max(200) }),
  text: z.string().min(1).max(2000),
});

/**
 * A reply to the complainant is held for a moment (staff may undo or change it): when `until`
 * comes, it is sent unless it was withdrawn or sent already ("Send now"). Carried on the
 * complainant's queue, so waiting holds up none of the case's staff events.
 */
const replyHeld = z.strictObject({ type: z.literal('reply-held'), replyId: z.string().min(1).max(200), until: instant });

/** An event as a transition returns it, before the store names and stamps it. */
export const outboxEventInputSchema = z.discriminatedUnion('type', [
  staffAlerted,
  complainantWrote,
  cardChanged,
  complainantTold,
  staffReminded,
  replyHeld,
  colleagueTold,
  staffWrote,
]);
export type OutboxEventInput = z.output<typeof outboxEventInputSchema>;

/** What the store adds to an event. */
const stamp = {
  /** Unique and stable: `<reference>.<case version>.<n>`; every effect is idempotent by it. */
  id: z.string().min(1).max(100),
  reference: z.string().refine(isCaseReference, 'must be a valid case reference'),
  /** When the change that caused it was made. */
  at: instant,
};

/** An event as stored in the outbox and carried by a job. */
export const outboxEventSchema = z.discriminatedUnion('type', [
  staffAlerted.extend(stamp),
  complainantWrote.extend(stamp),
  cardChanged.extend(stamp),
  complainantTold.extend(stamp),
  staffReminded.extend(stamp),
  replyHeld.extend(stamp),
  colleagueTold.extend(stamp),
  staffWrote.extend(stamp),
]);
export type OutboxEvent = z.output<typeof outboxEventSchema>;

/** The id of the `index`th event of the change that took a case to `version`. */
export function outboxEventId(reference: string, version: number, index: number): string {
  return `${reference}.${String(version)}.${String(index)}`;
}

/** The most events one change may cause (so their order numbers never collide across versions). */
export const MAX_EVENTS_PER_CHANGE = 20;

/** Names and stamps the events of the change that took a case to `version`, in order. */
export function stampEvents(reference: string, version: number, at: string, inputs: readonly OutboxEventInput[]): OutboxEvent[] {
  if (inputs.length > MAX_EVENTS_PER_CHANGE) throw new RangeError(`A change may cause at most ${String(MAX_EVENTS_PER_CHANGE)} events`);
  return inputs.map((input, index) => outboxEventSchema.parse({ ...input, id: outboxEventId(reference, version, index), reference, at }));
}

/** Events staff see in Teams: done one at a time per case, in the order they were caused. */
export function isForStaff(event: Pick<OutboxEvent, 'type'>): boolean {
  return event.type !== 'complainant-told' && event.type !== 'reply-held';
}

/** Where a staff event falls in its case's order: its change's version, then its place in the change. */
export function staffOrder(event: OutboxEvent): number {
  const [, version, index] = event.id.split('.');
  return Number(version) * MAX_EVENTS_PER_CHANGE + Number(index);
}
