/**
 * What each action on a case card does to the case: a pure decision from the case as it now
 * stands, the action, who took it and when. It returns the whole next case, the history event,
 * and what (if anything) the complainant is to be told, or a refusal in words for the card.
 * The escalation policy decides stages, deadlines, extensions and independence.
 */
import { z } from 'zod';
import type { Case } from '../cases/case.js';
import { deadlineRecord } from '../cases/case.js';
import { agreedResponseBy, escalationDecision, handlerRole, stageStartedAt } from '../cases/case-policy.js';
import type { CaseEventInput } from '../cases/case-store.js';
import { currentDeadline } from '../cases/indexing.js';
import { formatReference } from '../cases/reference.js';
import {
  AgreedResponseDateInPast,
  AgreedResponseNotAllowed,
  dateInZone,
  type EscalationDecision,
  type EscalationPolicy,
  ExtensionNotAllowed,
  formatLongDate,
  instantOfWallTime,
  isLocalDate,
  parseLocalDate,
} from '../policy/index.js';
import { cleanAnswer } from '../text/clean-text.js';
import { standingQuestion } from './case-standing.js';
import type { StaffMember } from './staff-access.js';

const words = (max: number) =>
  z
    .string()
    .transform((text) => cleanAnswer(text, max))
    .pipe(z.string().min(1, 'is needed'));
const optionalWords = (max: number) =>
  z
    .string()
    .optional()
    .transform((text) => (text === undefined ? '' : cleanAnswer(text, max)));
const base = { reference: z.string().max(20), state: z.string().max(64) };
/** A date from an `Input.Date` (Teams sends YYYY-MM-DD). */
const date = z
  .string()
  .trim()
  .refine(isLocalDate, 'is needed, as a date')
  .transform((text) => parseLocalDate(text));

/** The data an `Action.Execute` brings back: the card's own fields and the inputs staff filled in. */
export const staffActionSchema = z.discriminatedUnion('verb', [
  z.object({ verb: z.literal('refresh'), reference: base.reference }),
  z.object({ verb: z.literal('assign'), ...base }),
  z.object({ verb: z.literal('respond'), ...base, text: words(20_000) }),
  z.object({ verb: z.literal('extend'), ...base, reason: words(2000) }),
  z.object({ verb: z.literal('redirect'), ...base, to: words(200), message: words(5000) }),
  z.object({ verb: z.literal('close'), ...base, message: optionalWords(5000) }),
  z.object({ verb: z.literal('note'), ...base, text: words(5000) }),
  z.object({ verb: z.literal('escalate'), ...base }),
  z.object({ verb: z.literal('accept-late'), ...base }),
  z.object({ verb: z.literal('decline-late'), ...base, message: words(5000) }),
  z.object({ verb: z.literal('accept-late-escalation'), ...base }),
  z.object({ verb: z.literal('decline-late-escalation'), ...base, message: words(5000) }),
  z.object({ verb: z.literal('accept-standing'), ...base }),
  z.object({ verb: z.literal('decline-standing'), ...base, message: words(5000) }),
  z.object({ verb: z.literal('record-agreed-response'), ...base, agreedOn: date }),
]);
export type StaffAction = z.output<typeof staffActionSchema>;
export type ChangingAction = Exclude<StaffAction, { verb: 'refresh' }>;

/** What an action decided. */
export type ActionOutcome =
  | {
      readonly ok: true;
      readonly next: Case;
      readonly event: CaseEventInput;
      /** What the complainant is told in their chat, or null. */
      readonly tellComplainant: string | null;
      /** One line for the card's notice. */
      readonly done: string;
    }
  | { readonly ok: false; readonly explanation: string };

/** Facts the decision needs besides the case. */
export interface ActionContext {
  readonly policy: EscalationPolicy;
  readonly now: Date;
  readonly staff: StaffMember;
  readonly organisation: string;
  readonly cutOff?: string;
}

function refuse(explanation: string): ActionOutcome {
  return { ok: false, explanation };
}

const CLOSED: readonly Case['status'][] = ['closed', 'redirected', 'withdrawn'];

/** Statuses in which the stage's response is still owed. */
const OWED: readonly Case['status'][] = ['open', 'awaiting-response', 'escalation-requested'];

/** The follow-up after a response: are you satisfied, and what you can do if not. */
function followUp(value: Case, context: ActionContext): string {
  const decision = escalationDecision(value, context.policy, context.now);
  if (decision.allowed) {
    return (
      `If you’re satisfied, there’s nothing more you need to do. If not, you can ask for your complaint to go to ` +
      `${decision.to.name}${decision.requestWindow ? ` (by ${decision.requestWindow.closesOnText})` : ''}: type "take my complaint further" here.`
    );
  }
  return `If you’re satisfied, there’s nothing more you need to do. ${decision.explanation}`;
}

/** Decides an action on a case. */
export function decideStaffAction(current: Case, action: ChangingAction, context: ActionContext): ActionOutcome {
  const { policy, now, staff } = context;
  const at = now.toISOString();
  const actor = { kind: 'staff' as const, id: staff.id, name: staff.name };
  const next: Case = structuredClone(current);
  next.updatedAt = at;
  const reference = formatReference(current.reference);
  const stageName = policy.stage(current.procedure, current.stage).name;
  const event = (type: CaseEventInput['type'], summary: string, details: Record<string, unknown> = {}): CaseEventInput => ({
    type,
    at,
    actor,
    summary,
    details,
  });

  /** The independence rule: whoever decided the stage before may not decide this one. */
  const barred = (stage: string): string | null => {
    const check = policy.checkIndependence({ procedure: current.procedure, stage, decider: staff.id, earlier: current.decisions });
    return check.allowed ? null : `${check.explanation} (${check.citation.reference})`;
  };

  if (action.verb === 'note') {
    return { ok: true, next, event: event('note', 'Internal note', { text: action.text }), tellComplainant: null, done: 'Note added (internal).' };
  }
  if (CLOSED.includes(current.status)) return refuse(`This case is ${current.status}; it can take internal notes only.`);

  switch (action.verb) {
    case 'assign': {
      if (current.status === 'responded') return refuse('The response has been sent; wait to hear whether the complainant is satisfied.');
      if (current.handler?.id === staff.id) return refuse('This case is already assigned to you.');
      next.handler = { id: staff.id, name: staff.name };
      next.status = 'awaiting-response';
      if (next.acknowledgement && !next.acknowledgement.acknowledgedAt) next.acknowledgement = { ...next.acknowledgement, acknowledgedAt: at };
      return { ok: true, next, event: event('assigned', `Assigned to ${staff.name}`), tellComplainant: null, done: `Assigned to ${staff.name}.` };
    }
    case 'respond': {
      if (current.status === 'responded') return refuse('A response has already been sent at this stage.');
      const conflict = barred(current.stage);
      if (conflict) return refuse(conflict);
      next.status = 'responded';
      next.handler = next.handler ?? { id: staff.id, name: staff.name };
      next.responses.push({ stage: current.stage, at, text: action.text, by: actor });
      next.decisions = [...next.decisions.filter((decision) => decision.stage !== current.stage), { stage: current.stage, decidedBy: staff.id }];
      if (next.acknowledgement && !next.acknowledgement.acknowledgedAt) next.acknowledgement = { ...next.acknowledgement, acknowledgedAt: at };
      const tell =
        `**The response to your complaint ${reference}** (${stageName}):\n\n${action.text}\n\n**Are you satisfied with this response?** ` +
        followUp(next, context);
      return {
        ok: true,
        next,
        event: event('responded', `Response sent at ${stageName}`, { text: action.text }),
        tellComplainant: tell,
        done: 'Response recorded and sent to the complainant.',
      };
    }
    case 'extend': {
      const deadline = currentDeadline(current);
      if (!deadline) return refuse('There is no running deadline to extend.');
      if (deadline.extended) return refuse('This deadline has already been extended as far as the procedure allows.');
      let extended;
      try {
        extended = policy.responseDeadline({
          procedure: current.procedure,
          stage: current.stage,
          extended: true,
          // From the stage's start as the policy reads it (a record made under the old count is read from the day it was received).
          stageStartedAt: stageStartedAt(current, policy) ?? instantOfWallTime(parseLocalDate(deadline.countsFrom), 9 * 3600, policy.calendar.timeZone),
        });
      } catch (error) {
        if (error instanceof ExtensionNotAllowed) return refuse(`The procedure does not allow ${stageName}'s time limit to be extended.`);
        throw error;
      }
      next.deadlines.push(deadlineRecord(extended));
      const due = formatLongDate(parseLocalDate(extended.due));
      return {
        ok: true,
        next,
        event: event('extended', `Deadline extended to ${due}`, { reason: action.reason, due: extended.due, rule: extended.rule.text }),
        tellComplainant:
          `An update on your complaint ${reference}: we need more time to respond properly, as the procedure allows. You’ll now have the ` +
          `response by **${due}**. I’m sorry for the wait.`,
        done: `Extended to ${due} (${extended.rule.text}).`,
      };
    }
    case 'redirect': {
      const conflict = barred(current.stage);
      if (conflict) return refuse(conflict);
      next.status = 'redirected';
      return {
        ok: true,
        next,
        event: event('redirected', `Redirected to ${action.to}`, { to: action.to, text: action.message }),
        tellComplainant: `About your complaint ${reference}: ${context.organisation} is not the right organisation to deal with it.\n\n${action.message}`,
        done: `Redirected to ${action.to}; the complainant has been told.`,
      };
    }
    case 'close': {
      const conflict = barred(current.stage);
      if (conflict) return refuse(conflict);
      next.status = 'closed';
      return {
        ok: true,
        next,
        event: event('closed', 'Closed', action.message ? { text: action.message } : {}),
        tellComplainant: action.message ? `About your complaint ${reference}: it has now been closed.\n\n${action.message}` : null,
        done: 'Closed.',
      };
    }
    case 'escalate': {
      // Staff move a case on as the procedure allows the complainant to (a request by phone or
      // letter), never outside it: after the response, or without it once it is late.
      const decision = escalationDecision(current, policy, now);
      if (!decision.allowed) return refuse(`Not moved. What the complainant is told: ${decision.explanation}`);
      if (current.flags.lateEscalation?.decision === 'pending')
        return refuse('A late request to go further is waiting for a decision: accept or decline it instead.');
      return moveToNextStage(current, next, context, event, null, decision);
    }
    case 'accept-standing':
    case 'decline-standing': {
      const standing = current.flags.standing;
      if (standing?.decision !== 'pending') return refuse('There is no decision about who may complain waiting.');
      const question = standingQuestion(current, policy);
      const accepted = action.verb === 'accept-standing';
      const what = question ? ` (${question.accepted})` : '';
      next.flags.standing = { ...standing, decision: accepted ? 'accepted' : 'declined' };
      if (accepted) {
        return {
          ok: true,
          next,
          event: event('updated', `Who may complain: accepted${what}`, {
            check: standing.check,
            ...(question ? { citation: question.citation.reference } : {}),
          }),
          tellComplainant: null,
          done: `Accepted: the complainant${question ? ` ${question.accepted}` : ' may complain for them'}. The complaint goes ahead.`,
        };
      }
      // As the rule says: if not, they are told (in writing, why) and no further action is taken.
      next.status = 'closed';
      return {
        ok: true,
        next,
        event: event('updated', `Who may complain: declined${what}; closed`, { check: standing.check, text: action.message }),
        tellComplainant: `About your complaint ${reference}:\n\n${action.message}`,
        done: 'Declined and closed; the complainant has been told.',
      };
    }
    case 'record-agreed-response': {
      if (!OWED.includes(current.status)) return refuse('The response at this stage has been sent, so there is no response date to agree.');
      let agreed;
      try {
        agreed = policy.agreedResponseDeadline({ procedure: current.procedure, stage: current.stage, agreedAt: now, agreedOn: action.agreedOn });
      } catch (error) {
        if (error instanceof AgreedResponseNotAllowed)
          return refuse(`${stageName} has fixed time limits: the procedure does not let a response date be agreed with the complainant.`);
        if (error instanceof AgreedResponseDateInPast) {
          return refuse(
            `${formatLongDate(action.agreedOn)} has already passed (today is ${formatLongDate(dateInZone(now, policy.calendar.timeZone))}). Record the ` +
              `date agreed with the complainant: today or later.`,
          );
        }
        throw error;
      }
      const earlier = agreedResponseBy(current);
      next.deadlines.push(deadlineRecord(agreed));
      const due = agreed.dueText;
      return {
        ok: true,
        next,
        event: event('updated', `Response date agreed with the complainant: ${due}`, {
          due: agreed.due,
          rule: agreed.rule.text,
          citation: agreed.citation.reference,
          ...(earlier ? { replaces: earlier } : {}),
        }),
        tellComplainant:
          `About your complaint ${reference}: as agreed with you, you’ll have our response by **${due}**. If it isn’t ready by then, ` +
          `we’ll write to tell you why.`,
        done: `Response date agreed: ${due} (${agreed.citation.reference}).`,
      };
    }
    case 'accept-late':
    case 'decline-late': {
      const late = current.flags.late;
      if (late?.decision !== 'pending') return refuse('There is no late-complaint decision waiting.');
      const accepted = action.verb === 'accept-late';
      next.flags.late = { ...late, decision: accepted ? 'accepted' : 'declined' };
      if (!accepted) next.status = 'closed';
      return {
        ok: true,
        next,
        event: event(
          'updated',
          accepted ? 'Late complaint accepted for consideration' : 'Late complaint not considered',
          accepted ? {} : { text: action.message },
        ),
        tellComplainant: accepted ? null : `About your complaint ${reference}:\n\n${action.message}`,
        done: accepted ? 'The late complaint will be considered.' : 'Declined; the complainant has been told.',
      };
    }
    case 'accept-late-escalation':
    case 'decline-late-escalation': {
      const request = current.flags.lateEscalation;
      if (request?.decision !== 'pending') return refuse('There is no late request to decide.');
      // Deciding whether the case goes to the next stage is deciding for that stage.
      const conflict = barred(request.to);
      if (conflict) return refuse(conflict);
      if (action.verb === 'decline-late-escalation') {
        next.flags.lateEscalation = { ...request, decision: 'declined' };
        return {
          ok: true,
          next,
          event: event('updated', `Late request for ${policy.stage(current.procedure, request.to).name} declined`, { text: action.message }),
          tellComplainant: `About your request to take complaint ${reference} further:\n\n${action.message}`,
          done: 'Declined; the complainant has been told.',
        };
      }
      next.flags.lateEscalation = { ...request, decision: 'accepted' };
      return moveToNextStage(current, next, context, event, request.to);
    }
  }
}

/**
 * Moves the case to the next stage (or a named one, for an accepted late request), with its new
 * deadline from today. `decision` is the policy's, when the complainant asked in time or the
 * response was late; it decides how the move is described.
 */
function moveToNextStage(
  current: Case,
  next: Case,
  context: ActionContext,
  event: (type: CaseEventInput['type'], summary: string, details?: Record<string, unknown>) => CaseEventInput,
  to: string | null,
  decision: EscalationDecision | null = null,
): ActionOutcome {
  const { policy, now } = context;
  const step = policy.nextStep({ procedure: current.procedure, stage: current.stage });
  if (step.kind !== 'stage') return refuse(`This is the final stage. If the complainant is still unhappy, they can go to ${step.advice.ombudsman.name}.`);
  const target = to === null ? step.stage : policy.stage(current.procedure, to);
  const deadline = policy.deadline({ procedure: current.procedure, stage: target.id, received: now, ...(context.cutOff ? { cutOff: context.cutOff } : {}) });
  next.stage = target.id;
  next.status = 'open';
  next.handler = null;
  next.deadlines.push(deadlineRecord(deadline));
  const due = formatLongDate(parseLocalDate(deadline.due));
  const reference = formatReference(current.reference);
  const from = policy.stage(current.procedure, current.stage).name;
  const then = `${capitalise(deadline.rule.description)} by **${due}**.`;
  if (decision?.allowed && decision.reason === 'response-overdue') {
    return {
      ok: true,
      next,
      event: event('escalated', `Moved to ${target.name} at the complainant’s request: the response at ${from} was late`, {
        from: current.stage,
        to: target.id,
        due: deadline.due,
        reason: 'response-overdue',
        ...(decision.citation ? { citation: decision.citation.reference } : {}),
      }),
      tellComplainant:
        `The response at ${from} was late, so as you asked, your complaint ${reference} has moved to **${target.name}**, with the ` +
        `${handlerRole(next, policy)}. We are sorry for the delay. ${then}`,
      done: `The response at ${from} was late, so at the complainant’s request the case moved to ${target.name}; ${deadline.rule.description} by ${due}.`,
    };
  }
  return {
    ok: true,
    next,
    event: event('escalated', `Moved to ${target.name}`, { from: current.stage, to: target.id, due: deadline.due }),
    tellComplainant: `Your complaint ${reference} has moved to **${target.name}**, with the ${handlerRole(next, policy)}. ${then}`,
    done: `Moved to ${target.name}; ${deadline.rule.description} by ${due}.`,
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Whether the verb changes the case (all but refresh). */
export function isChanging(action: StaffAction): action is ChangingAction {
  return action.verb !== 'refresh';
}
