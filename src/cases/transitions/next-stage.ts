/**
 * Moving a case to its next stage for staff: when they escalate it for the complainant, or
 * accept a late request to go further. Shared by both so the case moves, and the complainant is
 * told, in one way.
 */
import { deadlineRecord } from '../case.js';
import { handlerRole } from '../case-policy.js';
import { type EscalationDecision, formatLongDate, parseLocalDate } from '../../policy/index.js';
import type { StaffContext, StaffDraft, StaffTransitionResult } from './staff-change.js';
import { refuse } from './transition.js';

/**
 * Moves the case in `draft` to the next stage (or a named one, for an accepted late request),
 * with its new deadline from today. `decision` is the policy's, when the complainant asked in
 * time or the response was late; it decides how the move is described.
 */
export function moveToNextStage(draft: StaffDraft, context: StaffContext, to: string | null, decision: EscalationDecision | null): StaffTransitionResult {
  const { policy, now } = context;
  const { next, reference, stageName: from } = draft;
  const { procedure, stage } = next;
  const step = policy.nextStep({ procedure, stage });
  if (step.kind !== 'stage')
    return refuse('final-stage', `This is the final stage. If the complainant is still unhappy, they can go to ${step.advice.ombudsman.name}.`);
  const target = to === null ? step.stage : policy.stage(procedure, to);
  const deadline = policy.deadline({ procedure, stage: target.id, received: now, ...(context.cutOff ? { cutOff: context.cutOff } : {}) });
  next.stage = target.id;
  next.status = 'open';
  next.handler = null;
  next.deadlines.push(deadlineRecord(deadline));
  const due = formatLongDate(parseLocalDate(deadline.due));
  const then = `${capitalise(deadline.rule.description)} by **${due}**.`;
  if (decision?.allowed && decision.reason === 'response-overdue') {
    return draft.finish(
      draft.event('escalated', `Moved to ${target.name} at the complainant’s request: the response at ${from} was late`, {
        from: stage,
        to: target.id,
        due: deadline.due,
        reason: 'response-overdue',
        ...(decision.citation ? { citation: decision.citation.reference } : {}),
      }),
      `The response at ${from} was late, so at the complainant’s request the case moved to ${target.name}; ${deadline.rule.description} by ${due}.`,
      {
        notice: 'deadline-changed',
        text:
          `The response at ${from} was late, so as you asked, your complaint ${reference} has moved to **${target.name}**, with the ` +
          `${handlerRole(next, policy)}. We are sorry for the delay. ${then}`,
      },
    );
  }
  return draft.finish(
    draft.event('escalated', `Moved to ${target.name}`, { from: stage, to: target.id, due: deadline.due }),
    `Moved to ${target.name}; ${deadline.rule.description} by ${due}.`,
    { notice: 'deadline-changed', text: `Your complaint ${reference} has moved to **${target.name}**, with the ${handlerRole(next, policy)}. ${then}` },
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
