/**
 * The stage's response is sent: recorded on the case as this member of staff's decision for the
 * stage (the independence rule looks at it later), and sent to the complainant with what they
 * can do if they are not satisfied.
 *
 * @example
 * const result = respond(value, { text: 'We are sorry ...', outcome: 'partly-upheld' }, context);
 * if (!isRefusal(result)) result.next.status; // 'responded'
 */
import type { Case, ResponseOutcome } from '../case.js';
import { escalationDecision } from '../case-policy.js';
import { refusedAsNotIndependent, refusedWhenClosed, type StaffContext, staffDraft, type StaffTransitionResult } from './staff-change.js';
import { refuse } from './transition.js';

/** What staff send as the response. */
export interface ResponseRequest {
  readonly text: string;
  /** What the response finds (counted in the figures the annual reports need). */
  readonly outcome: ResponseOutcome;
}

/** The outcomes in words, as staff choose them and the history says them. */
export const OUTCOME_WORDS: Readonly<Record<ResponseOutcome, string>> = {
  upheld: 'upheld',
  'partly-upheld': 'partly upheld',
  'not-upheld': 'not upheld',
};

/** Records and sends the stage's response. */
export function respond(current: Case, request: ResponseRequest, context: StaffContext): StaffTransitionResult {
  const closed = refusedWhenClosed(current);
  if (closed) return closed;
  if (current.status === 'responded') return refuse('already-responded', 'A response has already been sent at this stage.');
  const barred = refusedAsNotIndependent(current, current.stage, context);
  if (barred) return barred;
  const draft = staffDraft(current, context);
  const { next, reference, stageName } = draft;
  const { staff } = context;
  const at = next.updatedAt;
  next.status = 'responded';
  next.handler = next.handler ?? { id: staff.id, name: staff.name };
  next.responses.push({ stage: current.stage, at, text: request.text, by: { kind: 'staff', id: staff.id, name: staff.name }, outcome: request.outcome });
  next.decisions = [...next.decisions.filter((decision) => decision.stage !== current.stage), { stage: current.stage, decidedBy: staff.id }];
  if (next.acknowledgement && !next.acknowledgement.acknowledgedAt) next.acknowledgement = { ...next.acknowledgement, acknowledgedAt: at };
  const text =
    `**The response to your complaint ${reference}** (${stageName}):\n\n${request.text}\n\n**Are you satisfied with this response?** ` +
    followUp(next, context);
  return draft.finish(
    draft.event('responded', `Response sent at ${stageName} (${OUTCOME_WORDS[request.outcome]})`, { text: request.text, outcome: request.outcome }),
    'Response recorded and sent to the complainant.',
    {
      notice: 'response',
      text,
    },
  );
}

/** The follow-up after a response: are you satisfied, and what you can do if not. */
function followUp(value: Case, context: StaffContext): string {
  const decision = escalationDecision(value, context.policy, context.now);
  if (decision.allowed) {
    return (
      `If you’re satisfied, there’s nothing more you need to do. If not, you can ask for your complaint to go to ` +
      `${decision.to.name}${decision.requestWindow ? ` (by ${decision.requestWindow.closesOnText})` : ''}: type "take my complaint further" here.`
    );
  }
  return `If you’re satisfied, there’s nothing more you need to do. ${decision.explanation}`;
}
