/**
 * What each outbox event does, whichever queue engine runs it: staff events go to the staff
 * notifier (Teams cards and thread messages), one at a time per case and in order; complainant
 * events go to their chat (kept for their next visit when it cannot be reached) and, by their
 * preference, by email or text. Every part is recorded as done by the event's id, so a job run
 * again after a failure or a crash does only what was not done.
 */
import { randomUUID } from 'node:crypto';
import type { OutboxEvent } from '../cases/outbox-event.js';
import { type CaseStore, updateCase } from '../cases/case-store.js';
import { releaseHeldReply, releaseKey } from '../cases/transitions/held-reply.js';
import { isRefusal, SYSTEM } from '../cases/transitions/transition.js';
import type { CaseNotice, CaseNotifier, DeliveryStep } from '../ports/case-notifier.js';
import type { Clock } from '../ports/clock.js';
import type { ConversationMessenger } from '../ports/conversation-messenger.js';
import type { EffectLedger, EventOfCase } from '../ports/effect-ledger.js';
import type { EffectMetrics } from '../ports/effect-metrics.js';
import type { Logger } from '../ports/logger.js';
import type { Case } from '../cases/case.js';
import { agreedResponseBy, dueOn } from '../cases/case-policy.js';
import { currentDeadline } from '../cases/indexing.js';
import { formatReference, isCaseReference } from '../cases/reference.js';
import { type ComplainantMailer, type ContactChannel, ContactRefused } from '../ports/complainant-mailer.js';
import { type EscalationPolicy, formatLongDate } from '../policy/index.js';
import { keepForLater, sendToComplainant } from '../teams/relay.js';
import type { UrgentConcern } from './urgent-concern.js';
import { collectDigest } from '../timekeeping/digest.js';
import type { CalendarNotice } from '../timekeeping/calendar-change.js';

type ComplainantEvent = Extract<OutboxEvent, { type: 'complainant-told' }>;

/** What the effects are performed with. */
export interface EffectDeps {
  readonly cases: CaseStore;
  readonly staff: CaseNotifier;
  readonly chat: ConversationMessenger;
  readonly ledger: EffectLedger;
  /** Email and text; null where none is set up (tests of other parts). */
  readonly mailer: ComplainantMailer | null;
  /** Whether the complaint's and staff's words may go in email and text (CONTACT_CONTENT_ALLOWED). */
  readonly contentAllowed: boolean;
  /** How long a staff message shown in the chat may go unseen before it goes by email or text. */
  readonly unseenAfterMs: number;
  readonly policy: EscalationPolicy;
  readonly clock: Clock;
  readonly log: Logger;
  /** Failed jobs and delivery times, for /metrics. */
  readonly metrics?: EffectMetrics;
}

/** A staff event cannot be done yet: an earlier one for its case is not done, or another worker has the case. */
export class EffectMustWait extends Error {
  override readonly name = 'EffectMustWait';
  constructor(readonly eventId: string) {
    super(`The effect of ${eventId} waits for its case's earlier effects`);
  }
}

/** An effect's time has not come (a held reply): run it again in `waitMs`. */
export class EffectNotYet extends Error {
  override readonly name = 'EffectNotYet';
  constructor(
    readonly eventId: string,
    readonly waitMs: number,
  ) {
    super(`The effect of ${eventId} is due in ${String(waitMs)} ms`);
  }
}

/**
 * A held reply's time is up: it is sent now, unless staff undid it or sent it already (the same
 * idempotency key as "Send now", so it goes once whichever comes first). Throws `EffectNotYet`
 * when its time has not come (a timer that fired early, or a clock behind another's).
 */
export async function performHeldReply(event: OutboxEvent, deps: Pick<EffectDeps, 'cases' | 'clock' | 'log'>): Promise<void> {
  if (event.type !== 'reply-held') return;
  const waitMs = Date.parse(event.until) - deps.clock.now().getTime();
  if (waitMs > 0) throw new EffectNotYet(event.id, waitMs);
  const result = await updateCase(deps.cases, event.reference, releaseKey(event.replyId), (current) => {
    const released = releaseHeldReply(current.case, { id: event.replyId }, { now: deps.clock.now(), by: SYSTEM });
    return isRefusal(released) ? null : released;
  });
  deps.log.info('outbox.held-reply', { sent: result?.applied ?? false });
}

/** What staff are told for a staff event, given the case as it now stands. */
function noticeFor(event: OutboxEvent, value: CaseNotice['case'] & object): CaseNotice | null {
  switch (event.type) {
    case 'staff-alerted':
      return { kind: event.alert, case: value };
    case 'complainant-wrote':
      return { kind: 'message-from-complainant', case: value, message: event.text, at: event.at };
    case 'card-changed':
      return { kind: 'changed', case: value };
    case 'staff-reminded':
      return { kind: 'time-passed', case: value, moment: event.moment, text: event.text, assignee: event.assignee };
    case 'colleague-told':
      return { kind: 'colleague-told', case: value, person: event.person, text: event.text };
    case 'staff-wrote':
      return { kind: 'staff-wrote', case: value, by: event.by };
    case 'complainant-told':
    case 'reply-held':
      return null;
  }
}

/**
 * Does a staff event once, in its case's order, holding its case for at most `leaseMs` (after a
 * crash, another worker takes over then). Throws `EffectMustWait` when its turn has not
 * come, and whatever the notifier threw when it failed (the event stays first in line).
 */
export async function performStaffEffect(event: OutboxEvent, deps: EffectDeps, token: string, leaseMs: number): Promise<'done' | 'already-done'> {
  const claim = await deps.ledger.claimStaffEffect(event, token, leaseMs);
  if (claim === 'done') return 'already-done';
  if (claim === 'wait') throw new EffectMustWait(event.id);
  let done = false;
  try {
    const stored = await deps.cases.get(event.reference);
    const notice = stored ? noticeFor(event, stored.case) : null;
    if (notice) {
      await deps.staff.notify(notice);
      deps.metrics?.delivered('teams', event.at, deps.clock.now());
    }
    done = true;
    return 'done';
  } finally {
    await deps.ledger.finishStaffEffect(event, token, done);
  }
}

/** Where a complainant event's email or text goes, by the contact details and preference they gave; null for none. */
export function contactFor(value: Case, channels: readonly ContactChannel[]): { channel: ContactChannel; to: string } | null {
  // "Only in this chat" means no email or text, ever.
  if (value.contact.preferred === 'chat') return null;
  const email = value.contact.email && channels.includes('email') ? { channel: 'email' as const, to: value.contact.email } : null;
  const sms = value.contact.phone && channels.includes('sms') ? { channel: 'sms' as const, to: value.contact.phone } : null;
  return value.contact.preferred === 'phone' ? (sms ?? email) : (email ?? sms);
}

/** The date they will hear back by, in words, where one is owed. */
function respondBy(value: Case, policy: EscalationPolicy): string | null {
  const deadline = currentDeadline(value);
  if (!deadline) return null;
  return formatLongDate(agreedResponseBy(value) ?? dueOn(value, policy, deadline));
}

/** What to do after a complainant event's first run: check later that a chat message was seen. */
export interface FollowUp {
  readonly unseenCheckInMs: number;
}

/** What the status line of a message has said so far, kept in the ledger. */
interface StatusNote {
  readonly lineId: string | null;
  readonly steps: DeliveryStep[];
}

/**
 * Adds a step to a message's status line in the case's thread (posting the line the first
 * time), once per step.
 */
async function addStep(event: EventOfCase, value: Case, state: DeliveryStep['state'], deps: EffectDeps): Promise<void> {
  // One job at a time on a line: "sent" and "seen" come moments apart, and two at once would
  // each post a line, or the later would overwrite the other's step. The other job waits its turn.
  const token = randomUUID();
  if (!(await deps.ledger.holdStatusLine(event, token, STATUS_HOLD_MS))) throw new EffectMustWait(event.id);
  try {
    const raw = await deps.ledger.noteOf(event, 'status');
    const note: StatusNote = raw ? (JSON.parse(raw) as StatusNote) : { lineId: null, steps: [] };
    if (note.steps.some((step) => step.state === state)) return;
    const steps = [...note.steps, { state, at: deps.clock.now().toISOString() }].sort((a, b) => a.at.localeCompare(b.at));
    const lineId = await deps.staff.deliveryStatus({ case: value, lineId: note.lineId, steps });
    await deps.ledger.markDone(event, 'status', JSON.stringify({ lineId, steps } satisfies StatusNote));
  } finally {
    await deps.ledger.releaseStatusLine(event, token);
  }
}

/** Longest a job holds a status line: past any Teams call's timeout, so a crashed job's hold lapses. */
const STATUS_HOLD_MS = 60_000;

/** Sends the email or text for a complainant event, once. */
async function contact(event: ComplainantEvent, value: Case, deps: EffectDeps): Promise<void> {
  if (!deps.mailer || (await deps.ledger.isDone(event, 'contact'))) return;
  const to = contactFor(value, deps.mailer.channels);
  if (!to) return;
  try {
    await deps.mailer.send({
      id: event.id,
      channel: to.channel,
      to: to.to,
      notice: event.notice,
      reference: formatReference(value.reference),
      name: value.complainant.name,
      respondBy: respondBy(value, deps.policy),
      content: deps.contentAllowed ? event.text : null,
    });
    deps.metrics?.delivered(to.channel, event.at, deps.clock.now());
  } catch (error) {
    // A refused address or number will be refused again: note it, and do not try for ever.
    if (!(error instanceof ContactRefused)) throw error;
    deps.log.warn('outbox.contact-refused', { channel: error.channel, notice: event.notice });
  }
  await deps.ledger.markDone(event, 'contact', deps.clock.now().toISOString());
  deps.log.info('outbox.contacted', { channel: to.channel, notice: event.notice });
  if (event.text !== null) await addStep(event, value, to.channel === 'email' ? 'emailed' : 'texted', deps);
}

/**
 * Does a complainant event's parts that are not done yet: the chat message first, then email
 * or text. A staff message shown in an open chat waits for the chat to confirm it was seen: the
 * follow-up asks for a check later, and only an unseen one goes by email or text then.
 */
export async function performComplainantEffect(event: OutboxEvent, deps: EffectDeps): Promise<FollowUp | null> {
  if (event.type !== 'complainant-told') return null;
  const stored = await deps.cases.get(event.reference);
  if (!stored) return null;
  if (event.text !== null && !(await deps.ledger.isDone(event, 'chat')) && !(await deps.ledger.isDone(event, 'kept'))) {
    const delivery = await sendToComplainant({ cases: deps.cases, messenger: deps.chat, clock: deps.clock, log: deps.log }, stored, event.id, event.text);
    await deps.ledger.markDone(event, delivery === 'kept' ? 'kept' : 'chat', deps.clock.now().toISOString());
    deps.log.info('outbox.chat', { notice: event.notice, delivery });
    if (delivery !== 'kept') deps.metrics?.delivered('chat', event.at, deps.clock.now());
  }
  if (event.text !== null) await addStep(event, stored.case, (await deps.ledger.isDone(event, 'kept')) ? 'kept' : 'sent', deps);
  const shownInChat = event.text !== null && !(await deps.ledger.isDone(event, 'kept'));
  if (event.notice === 'message' && shownInChat) return { unseenCheckInMs: deps.unseenAfterMs };
  await contact(event, stored.case, deps);
  return null;
}

/**
 * A staff message's time to be seen is up: if the chat has not confirmed it, it is kept for the
 * complainant's next visit (shown first) and goes by email or text.
 */
export async function performUnseenCheck(event: OutboxEvent, deps: EffectDeps): Promise<void> {
  if (event.type !== 'complainant-told' || event.text === null || (await deps.ledger.isDone(event, 'seen'))) return;
  const stored = await deps.cases.get(event.reference);
  if (!stored) return;
  await keepForLater({ cases: deps.cases, messenger: deps.chat, clock: deps.clock, log: deps.log }, stored, event.id, event.text);
  deps.log.info('outbox.unseen', { notice: event.notice });
  await addStep(event, stored.case, 'unseen', deps);
  await contact(event, stored.case, deps);
}

/** What a complainant notice is, for staff. */
const NOTICE_WORDS: Record<ComplainantEvent['notice'], string> = {
  acknowledgement: 'the acknowledgement of their complaint',
  message: 'a message from staff',
  response: 'the response',
  'deadline-changed': 'the news of a changed response date',
  redirected: 'the news that their complaint was redirected',
  closed: 'the news that their complaint was closed',
  late: 'the apology that we are late, with what they can do now',
  'window-closing': 'the reminder that their time to take the complaint further ends soon',
};

/**
 * An event's effect failed every attempt (about a day of them): staff are told in the case's
 * thread what did not get through, so that they can reach the complainant another way.
 */
export async function reportDeliveryFailed(event: OutboxEvent, deps: EffectDeps): Promise<void> {
  const stored = await deps.cases.get(event.reference);
  if (!stored) return;
  const what =
    event.type === 'complainant-told'
      ? `${NOTICE_WORDS[event.notice]} could not be delivered to the complainant after a day of trying. Contact them another way.`
      : event.type === 'reply-held'
        ? `a reply held for the complainant (from ${heldReplyAuthor(stored.case, event.replyId)}) could not be sent when its time was up. ` +
          'It is still on the case: press Send now on its card, or send it again.'
        : 'an update for this thread could not be posted after a day of trying, so the card may be out of date.';
  await deps.staff.notify({
    kind: 'delivery-failed',
    case: stored.case,
    what: `${what.charAt(0).toUpperCase()}${what.slice(1)} An administrator can try again with "npm run jobs -- retry".`,
  });
}

/** Who wrote a held reply, for staff to know whose it was. */
function heldReplyAuthor(value: Case, replyId: string): string {
  return value.heldReplies.find((each) => each.id === replyId)?.by.name ?? 'a member of staff';
}

/** The id a chat message carries for the widget to confirm (an outbox event's), if it is one. */
const MESSAGE_ID = /^([0-9A-Z]{9})\.(\d{1,9})\.(\d{1,2})$/;

/**
 * The complainant's chat confirms it showed a message. Only the conversation the case knows
 * may confirm its messages, so nobody can mark another person's messages seen.
 */
export async function recordSeen(deps: EffectDeps, messageId: unknown, conversationId: string): Promise<EventOfCase | null> {
  const match = typeof messageId === 'string' ? MESSAGE_ID.exec(messageId) : null;
  const reference = match?.[1];
  if (!match || !reference || !isCaseReference(reference)) return null;
  const stored = await deps.cases.get(reference);
  if (!stored?.case.conversations.some((conversation) => conversation.conversation.id === conversationId)) return null;
  const event = { id: match[0], reference };
  if (await deps.ledger.isDone(event, 'seen')) return null;
  await deps.ledger.markDone(event, 'seen', deps.clock.now().toISOString());
  return event;
}

/** Shows staff that a message was seen (after `recordSeen`, in a job of its own). */
export async function performSeenStatus(event: EventOfCase, deps: EffectDeps): Promise<void> {
  const stored = await deps.cases.get(event.reference);
  if (stored) await addStep(event, stored.case, 'seen', deps);
}

/** Posts the day's digest, built from the cases as they stand now. */
export async function performDigestEffect(deps: Pick<EffectDeps, 'cases' | 'staff' | 'policy' | 'clock'>): Promise<void> {
  await deps.staff.notify({ kind: 'digest', case: null, digest: await collectDigest(deps.cases, deps.policy, deps.clock.now()) });
}

/** Tells staff which cases' dates a new calendar moved, linking each to its thread. */
export async function performCalendarNoticeEffect(notice: CalendarNotice, deps: Pick<EffectDeps, 'cases' | 'staff'>): Promise<void> {
  const moved = [];
  for (const reference of notice.moved) {
    if (!isCaseReference(reference)) continue;
    moved.push({ reference, thread: (await deps.cases.get(reference))?.case.teamsThread ?? null });
  }
  await deps.staff.notify({ kind: 'calendar-changed', case: null, version: notice.version, moved, movedCount: notice.movedCount, failed: notice.failed });
}

/**
 * Tells staff of words suggesting someone may be at risk, with the case as it now stands when it
 * was said about one. Not recorded as done: told twice after a crash is better than not told.
 */
export async function performConcernEffect(concern: UrgentConcern, deps: Pick<EffectDeps, 'cases' | 'staff'>): Promise<void> {
  const onCase = concern.reference ? ((await deps.cases.get(concern.reference))?.case ?? null) : null;
  await deps.staff.notify({
    kind: 'safeguarding-concern',
    case: onCase,
    id: concern.id,
    note: concern.note,
    raisedAt: concern.raisedAt,
    conversation: concern.conversation,
  });
}
