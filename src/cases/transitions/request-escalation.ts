/**
 * The complainant asks for their complaint to go to the next stage. In time (or with the stage's
 * response late), the case moves there at once, with its new deadline from today, waiting for
 * staff to pick it up. After the time to ask, the request is kept on the case for staff to decide,
 * and the case stays where it is.
 *
 * The policy decided beforehand that the request may be made (the conversation asked the
 * questions in between); this checks the case has not moved on since.
 *
 * @example
 * const result = requestEscalation(value, { from: 'stage-1', to: 'stage-2', late: null, ... }, { policy, now });
 * if (!isRefusal(result)) result.next.status; // 'escalation-requested'
 */
import { type Case, deadlineRecord } from '../case.js';
import type { EscalationPolicy, LocalDate } from '../../policy/index.js';
import type { OutboxEventInput } from '../outbox-event.js';
import { COMPLAINANT, draftOf, refuse, type TransitionResult } from './transition.js';

/** What the complainant asked for, and why. */
export interface EscalationRequest {
  /** The stage the case was at when they asked. */
  readonly from: string;
  /** The stage they asked for. */
  readonly to: string;
  /** Set when the time to ask had passed: staff decide. */
  readonly late: { readonly windowClosedOn: LocalDate; readonly whyLate: string | null } | null;
  /** Asked for without waiting for the stage's response, which is late. */
  readonly responseOverdue: boolean;
  readonly reason: string;
  readonly evidence: string | null;
  readonly outcomeWanted: string;
}

/** What the request needs besides the case. */
export interface EscalationRequestContext {
  readonly policy: EscalationPolicy;
  readonly now: Date;
  /** The time of day after which something received counts as received the next working day. */
  readonly cutOff?: string | undefined;
}

/** Takes the complainant's request to go further. */
export function requestEscalation(current: Case, request: EscalationRequest, context: EscalationRequestContext): TransitionResult {
  const { policy, now } = context;
  const { late } = request;
  const made = late
    ? current.flags.lateEscalation?.to === request.to && current.flags.lateEscalation.decision === 'pending'
    : current.stage === request.to && current.status === 'escalation-requested';
  // A turn run again after its change landed: nothing more to do, and nothing wrong.
  if (made) return refuse('already-requested', 'You’ve already asked for this; it’s with the team.');
  if (current.stage !== request.from || current.status === 'escalation-requested' || current.flags.lateEscalation?.decision === 'pending') {
    return refuse(
      'moved-on',
      'Your complaint has moved on since you started, so I haven’t changed anything. Type "check on my complaint" to see where it is now.',
    );
  }
  const next = draftOf(current, now);
  const at = next.updatedAt;
  const from = policy.stage(current.procedure, request.from);
  const to = policy.stage(current.procedure, request.to);
  const why = late ? ' (after the time to ask)' : request.responseOverdue ? ` (the ${from.name} response was late)` : '';
  const events: OutboxEventInput[] = [{ type: 'staff-alerted', alert: 'escalation-requested' }];
  if (late) {
    next.flags.lateEscalation = { to: request.to, windowClosedOn: late.windowClosedOn, requestedAt: at, whyLate: late.whyLate, decision: 'pending' };
    // Closed when the time to ask ran out (the timeline does that): opened again at its stage's
    // answer, so that staff can decide on the request from the card.
    if (next.status === 'closed') {
      next.status = 'responded';
      next.closure = null;
    }
  } else {
    // The first thing due at the new stage (for a Review Panel, its meeting), with what follows.
    const deadline = policy.deadline({ procedure: current.procedure, stage: request.to, received: now, ...(context.cutOff ? { cutOff: context.cutOff } : {}) });
    next.stage = request.to;
    next.status = 'escalation-requested';
    next.handler = null;
    next.deadlines.push(deadlineRecord(deadline));
    // They were told the new dates in the conversation itself; the notice is for email or text.
    events.push({ type: 'complainant-told', notice: 'deadline-changed', text: null });
  }
  return {
    next,
    event: {
      type: 'escalation-requested',
      at,
      actor: COMPLAINANT,
      summary: `Asked for ${to.name}${why}`,
      details: {
        from: request.from,
        to: request.to,
        reason: request.reason,
        evidence: request.evidence,
        outcomeWanted: request.outcomeWanted,
        ...(late ? { late: true, windowClosedOn: late.windowClosedOn, whyLate: late.whyLate } : {}),
        ...(request.responseOverdue ? { responseOverdue: true } : {}),
      },
    },
    events,
  };
}
