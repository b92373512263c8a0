/**
 * The actions on a case card: the data each brings back (its verb and the inputs staff filled
 * in), and what each does to the case, which is the matching transition's decision (see
 * `src/cases/transitions/`). The card and the handler share these verbs.
 */
import { z } from 'zod';
import { type Case, responseOutcomeSchema } from '../cases/case.js';
import { assign } from '../cases/transitions/assign.js';
import { close } from '../cases/transitions/close.js';
import { decideLate } from '../cases/transitions/decide-late.js';
import { decideLateEscalation } from '../cases/transitions/decide-late-escalation.js';
import { decideStanding } from '../cases/transitions/decide-standing.js';
import { escalate } from '../cases/transitions/escalate.js';
import { extend } from '../cases/transitions/extend.js';
import { note } from '../cases/transitions/note.js';
import { recordAgreedResponse } from '../cases/transitions/record-agreed-response.js';
import { recordOmbudsman } from '../cases/transitions/record-ombudsman.js';
import { redirect } from '../cases/transitions/redirect.js';
import { reopen } from '../cases/transitions/reopen.js';
import { respond } from '../cases/transitions/respond.js';
import type { StaffContext, StaffMemberRef, StaffTransition, StaffTransitionResult } from '../cases/transitions/staff-change.js';
import { chatTextOf, isRefusal, type Refusal, refuse } from '../cases/transitions/transition.js';
import { isLocalDate, parseLocalDate } from '../policy/index.js';
import { cleanAnswer } from '../text/clean-text.js';

// Text is cleaned but never cut: over the limit it is refused, with the limit (half a message can
// say something the whole did not).
const words = (max: number) =>
  z
    .string()
    .transform((text) => cleanAnswer(text, Number.MAX_SAFE_INTEGER))
    .pipe(z.string().min(1, 'is needed').max(max));
const optionalWords = (max: number) =>
  z
    .string()
    .optional()
    .transform((text) => (text === undefined ? '' : cleanAnswer(text, Number.MAX_SAFE_INTEGER)))
    .pipe(z.string().max(max));
/**
 * What every case card action carries: the case, its decision state, and when the card was made
 * (`seen`, the case's last change then), which tells a double click from a deliberate repeat.
 */
const base = { reference: z.string().max(20), state: z.string().max(64), seen: z.string().max(40).optional() };
/** A date from an `Input.Date` (Teams sends YYYY-MM-DD). */
const date = z
  .string()
  .trim()
  .refine(isLocalDate, 'is needed, as a date')
  .transform((text) => parseLocalDate(text));

/** The data an `Action.Execute` brings back: the card's own fields and the inputs staff filled in. */
export const staffActionSchema = z.discriminatedUnion('verb', [
  z.object({ verb: z.literal('refresh'), reference: base.reference }),
  // Something in the thread for staff only (the complainant's words), named by when it was written.
  z.object({ verb: z.literal('reveal'), reference: base.reference, what: z.literal('complainant-words'), at: z.iso.datetime({ offset: true }) }),
  // The whole history, a page at a time (reading, like refresh).
  z.object({ verb: z.literal('history'), reference: base.reference, page: z.coerce.number().int().min(1).max(100_000).default(1) }),
  // "Take over" is "Assign to me" confirmed, on a case someone else has.
  z.object({ verb: z.literal('assign'), ...base, takeOver: z.literal('yes').optional() }),
  // A colleague from the roster (their Entra object id, from the card's list of names).
  z.object({ verb: z.literal('assign-to'), ...base, who: z.string().trim().min(1).max(100) }),
  z.object({ verb: z.literal('respond'), ...base, text: words(20_000), outcome: responseOutcomeSchema }),
  z.object({ verb: z.literal('extend'), ...base, reason: words(2000) }),
  z.object({ verb: z.literal('redirect'), ...base, to: words(200), message: words(5000) }),
  z.object({ verb: z.literal('close'), ...base, message: optionalWords(5000) }),
  z.object({ verb: z.literal('reopen'), ...base, reason: words(2000), message: optionalWords(5000) }),
  z.object({ verb: z.literal('note'), ...base, text: words(5000) }),
  z.object({ verb: z.literal('reply'), ...base, text: words(5000) }),
  z.object({ verb: z.literal('escalate'), ...base }),
  z.object({ verb: z.literal('accept-late'), ...base }),
  z.object({ verb: z.literal('decline-late'), ...base, message: words(5000) }),
  z.object({ verb: z.literal('accept-late-escalation'), ...base }),
  z.object({ verb: z.literal('decline-late-escalation'), ...base, message: words(5000) }),
  z.object({ verb: z.literal('accept-standing'), ...base }),
  z.object({ verb: z.literal('decline-standing'), ...base, message: words(5000) }),
  z.object({ verb: z.literal('record-agreed-response'), ...base, agreedOn: date }),
  z.object({ verb: z.literal('ombudsman'), ...base, ombudsman: z.string().trim().min(1).max(100), toldOn: date }),
  // The rights people have (src/rights): they act through the rights service, which audits each.
  z.object({
    verb: z.literal('correct-details'),
    ...base,
    name: optionalWords(200),
    email: optionalWords(320),
    phone: optionalWords(40),
    reason: words(500),
  }),
  z.object({ verb: z.literal('erase'), ...base, reason: words(500) }),
  z.object({ verb: z.literal('subject-access'), reference: base.reference }),
  // A held reply's card: its refresh, and its two buttons. They act on the reply, not on the
  // case's decisions, so they carry no decision state.
  z.object({ verb: z.literal('held-reply'), reference: base.reference, replyId: z.string().min(1).max(200) }),
  z.object({ verb: z.literal('undo-reply'), reference: base.reference, replyId: z.string().min(1).max(200) }),
  z.object({ verb: z.literal('send-reply-now'), reference: base.reference, replyId: z.string().min(1).max(200) }),
]);
export type StaffAction = z.output<typeof staffActionSchema>;
/** An action on a held reply's card. */
export type HeldReplyAction = Extract<StaffAction, { verb: 'held-reply' | 'undo-reply' | 'send-reply-now' }>;
/** "Reply to complainant": a message, not a decision (the staff bot holds it like a reply in the thread). */
export type ReplyAction = Extract<StaffAction, { verb: 'reply' }>;
/** An action under the rights people have: done through the rights service, never decided here. */
export type RightsCardAction = Extract<StaffAction, { verb: 'correct-details' | 'erase' | 'subject-access' }>;
export type ChangingAction = Exclude<StaffAction, { verb: 'refresh' | 'history' | 'reveal' } | HeldReplyAction | ReplyAction | RightsCardAction>;

/** Every verb a card may send. */
export const STAFF_VERBS: ReadonlySet<string> = new Set(staffActionSchema.options.map((option) => option.shape.verb.value));

/** Whether an action is on a held reply's card. */
export function isHeldReplyAction(action: StaffAction): action is HeldReplyAction {
  return action.verb === 'held-reply' || action.verb === 'undo-reply' || action.verb === 'send-reply-now';
}

/** What an action decided: the change, with what the complainant is told in their chat (or null); or why not. */
export type ActionOutcome =
  | (StaffTransition & {
      readonly ok: true;
      /** What the complainant is told in their chat, or null. */
      readonly tellComplainant: string | null;
    })
  | (Refusal & { readonly ok: false });

/**
 * Facts the decision needs besides the case: for "Assign to…", the colleague named, as the
 * roster knows them (null: not on it; 'unnamed': on it, but Teams has not given their name yet).
 */
export type ActionContext = StaffContext & { readonly colleague?: StaffMemberRef | 'unnamed' | null };

/** The transition an action calls for. */
function transitionFor(current: Case, action: ChangingAction, context: ActionContext): StaffTransitionResult {
  switch (action.verb) {
    case 'note':
      return note(current, action, context);
    case 'assign':
      return assign(current, context, { takeOver: action.takeOver === 'yes' });
    case 'assign-to':
      if (context.colleague === 'unnamed') {
        return refuse(
          'not-on-roster',
          'Teams has not given that colleague’s name to this app yet, so the case was not given to them; they can take it with “Assign to me”.',
        );
      }
      return context.colleague
        ? assign(current, context, { to: context.colleague })
        : refuse('not-on-roster', 'That colleague is not on the complaints team’s roster now, so the case was not given to them.');
    case 'respond':
      return respond(current, action, context);
    case 'extend':
      return extend(current, action, context);
    case 'redirect':
      return redirect(current, action, context);
    case 'close':
      return close(current, { message: action.message || null }, context);
    case 'reopen':
      return reopen(current, { reason: action.reason, message: action.message || null }, context);
    case 'escalate':
      return escalate(current, context);
    case 'accept-late':
      return decideLate(current, { decision: 'accepted' }, context);
    case 'decline-late':
      return decideLate(current, { decision: 'declined', message: action.message }, context);
    case 'accept-late-escalation':
      return decideLateEscalation(current, { decision: 'accepted' }, context);
    case 'decline-late-escalation':
      return decideLateEscalation(current, { decision: 'declined', message: action.message }, context);
    case 'accept-standing':
      return decideStanding(current, { decision: 'accepted' }, context);
    case 'decline-standing':
      return decideStanding(current, { decision: 'declined', message: action.message }, context);
    case 'record-agreed-response':
      return recordAgreedResponse(current, action, context);
    case 'ombudsman':
      return recordOmbudsman(current, action, context);
  }
}

/** Decides an action on a case. */
export function decideStaffAction(current: Case, action: ChangingAction, context: ActionContext): ActionOutcome {
  const result = transitionFor(current, action, context);
  if (isRefusal(result)) return { ok: false, ...result };
  return { ok: true, ...result, tellComplainant: chatTextOf(result.events) };
}

/** Whether an action is one of the rights'. */
export function isRightsAction(action: StaffAction): action is RightsCardAction {
  return action.verb === 'correct-details' || action.verb === 'erase' || action.verb === 'subject-access';
}

/** Whether the action is one of the case card's that change the case (all but its refresh). */
export function isChanging(action: StaffAction): action is ChangingAction {
  return (
    action.verb !== 'refresh' &&
    action.verb !== 'history' &&
    action.verb !== 'reveal' &&
    action.verb !== 'reply' &&
    !isHeldReplyAction(action) &&
    !isRightsAction(action)
  );
}
