/**
 * A reply to the complainant is held for a moment before it goes, as an email client's "Undo
 * send" is: staff who sent it to the wrong case, or said too much, can take it back or change
 * it. While it is held it is on the case, not in the outbox; `releaseHeldReply` (when the time
 * is up, or on "Send now") turns it into the message the complainant is sent, once, whichever
 * comes first.
 *
 * @example
 * const held = holdReply(value, { id: 'act-1', text: 'Could you send the letter?', holdMs: 30_000 }, context);
 * held.events; // [{ type: 'reply-held', replyId: 'act-1', until: '…' }, { type: 'card-changed' }]
 */
import { type Actor, type Case, HELD_REPLIES_KEPT } from '../case.js';
import { type StaffContext, staffDraft, type StaffTransition } from './staff-change.js';
import { messageFromStaff } from './staff-message.js';
import { draftOf, refuse, type Refusal } from './transition.js';

type HeldReply = Case['heldReplies'][number];

/** The idempotency key of sending a held reply: the same for its timer and "Send now", so it goes once. */
export function releaseKey(replyId: string): string {
  return `release:${replyId}`;
}

/** The reply to hold: named by the Teams message or card action that made it. */
export interface HoldReplyRequest {
  readonly id: string;
  readonly text: string;
  readonly holdMs: number;
}

const TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The case's held replies with one added, keeping every one still held and the latest others. */
function withReply(current: readonly HeldReply[], reply: HeldReply): HeldReply[] {
  const list = [...current.filter((each) => each.id !== reply.id), reply];
  const held = list.filter((each) => each.state === 'held');
  const rest = list.filter((each) => each.state !== 'held');
  const room = Math.max(0, HELD_REPLIES_KEPT - held.length);
  const keptRest = new Set(rest.slice(rest.length - room));
  return list.filter((each) => each.state === 'held' || keptRest.has(each));
}

/** Holds a reply to the complainant until `holdMs` from now. */
export function holdReply(current: Case, request: HoldReplyRequest, context: Pick<StaffContext, 'policy' | 'now' | 'staff'>): StaffTransition | Refusal {
  if (current.heldReplies.some((each) => each.id === request.id)) return refuse('already-held', 'That reply is already on its way.');
  if (current.heldReplies.filter((each) => each.state === 'held').length >= HELD_REPLIES_KEPT) {
    return refuse('too-many-held', `${String(HELD_REPLIES_KEPT)} replies to this complainant are waiting to go: send or undo some first.`);
  }
  const draft = staffDraft(current, context);
  const until = new Date(context.now.getTime() + request.holdMs).toISOString();
  draft.next.heldReplies = withReply(current.heldReplies, {
    id: request.id,
    text: request.text,
    by: { id: context.staff.id, name: context.staff.name },
    until,
    state: 'held',
  });
  const transition = draft.finish(
    draft.event('reply-held', `Reply to the complainant held until ${TIME.format(new Date(until))} (it can be undone until then)`, {
      replyId: request.id,
      text: request.text,
    }),
    'Reply held.',
  );
  return { ...transition, events: [{ type: 'reply-held', replyId: request.id, until }, ...transition.events] };
}

/** The held reply `id`, or why it cannot be changed now. */
function heldOne(current: Case, id: string): HeldReply | Refusal {
  const reply = current.heldReplies.find((each) => each.id === id);
  if (!reply) return refuse('no-held-reply', 'That reply is not one this case knows.');
  if (reply.state === 'sent') return refuse('reply-already-sent', 'That reply has already been sent to the complainant.');
  if (reply.state === 'withdrawn') return refuse('reply-withdrawn', 'That reply was undone, so it was not sent.');
  return reply;
}

function isReply(value: HeldReply | Refusal): value is HeldReply {
  return 'state' in value;
}

/**
 * Changes the words of a reply still held (its sender edited the Teams message, at `editedAt`
 * when Teams says). Teams may deliver edits out of order: one made before the edit that gave the
 * reply its words is refused, so the last edit made is the one sent.
 */
export function editHeldReply(
  current: Case,
  request: { readonly id: string; readonly text: string; readonly editedAt?: string },
  context: Pick<StaffContext, 'policy' | 'now' | 'staff'>,
): StaffTransition | Refusal {
  const reply = heldOne(current, request.id);
  if (!isReply(reply)) return reply;
  if (request.editedAt && reply.editedAt && Date.parse(request.editedAt) <= Date.parse(reply.editedAt)) {
    return refuse('edit-superseded', 'A later edit of that reply has been applied already.');
  }
  const draft = staffDraft(current, context);
  draft.next.heldReplies = withReply(current.heldReplies, { ...reply, text: request.text, ...(request.editedAt ? { editedAt: request.editedAt } : {}) });
  return draft.finish(
    draft.event('reply-held', 'Held reply to the complainant changed before it was sent', { replyId: reply.id, text: request.text }),
    'Reply changed.',
  );
}

/** Takes back a reply still held ("Undo", or its Teams message deleted): it is never sent. */
export function withdrawHeldReply(
  current: Case,
  request: { readonly id: string },
  context: Pick<StaffContext, 'policy' | 'now' | 'staff'>,
): StaffTransition | Refusal {
  const reply = heldOne(current, request.id);
  if (!isReply(reply)) return reply;
  const draft = staffDraft(current, context);
  draft.next.heldReplies = withReply(current.heldReplies, { ...reply, state: 'withdrawn' });
  return draft.finish(
    draft.event('reply-held', 'Held reply to the complainant undone: it was not sent', { replyId: reply.id }),
    'Undone: the reply was not sent.',
  );
}

/**
 * Sends a held reply: the message to the complainant, as `messageFromStaff` makes it, in the
 * words it has now. By staff ("Send now") or by the system when its time is up; early, by the
 * system, it is refused (the timer came before its time).
 */
export function releaseHeldReply(
  current: Case,
  request: { readonly id: string },
  context: { readonly now: Date; readonly by: Actor },
): ReturnType<typeof messageFromStaff> | Refusal {
  const reply = heldOne(current, request.id);
  if (!isReply(reply)) return reply;
  if (context.by.kind === 'system' && new Date(reply.until).getTime() > context.now.getTime()) {
    return refuse('reply-still-held', 'That reply is held a little longer.');
  }
  // The message is from whoever wrote it, whoever pressed "Send now".
  const message = messageFromStaff(current, { text: reply.text }, { now: context.now, staff: reply.by });
  const next = { ...message.next, heldReplies: withReply(draftOf(current, context.now).heldReplies, { ...reply, state: 'sent' as const }) };
  return { ...message, next };
}
