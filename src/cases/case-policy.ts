/**
 * What the escalation policy says about one case: who handles its stage, when the stage's clock
 * started, when it was answered, and whether it may go further now. Shared by the public
 * conversation and the staff cards, so both say the same.
 */
import type { Case } from './case.js';
import { currentDeadline } from './indexing.js';
import { type EscalationDecision, type EscalationPolicy, instantOfWallTime, parseLocalDate } from '../policy/index.js';

/** Who handles the case's stage: the route it took (NHS provider or commissioner) where the stage has several. */
export function handlerRole(value: Case, policy: EscalationPolicy): string {
  const handler = policy.stage(value.procedure, value.stage).handler;
  return handler.routes?.find((route) => route.id === value.route)?.role ?? handler.role;
}

/** When the current stage's clock started, to the day (9am London on its day 0). */
export function stageStartedAt(value: Case, policy: EscalationPolicy): Date | undefined {
  const deadline = currentDeadline(value);
  return deadline ? instantOfWallTime(parseLocalDate(deadline.countsFrom), 9 * 3600, policy.calendar.timeZone) : undefined;
}

/** When the current stage's response was sent, if it has been. */
export function respondedAt(value: Case): Date | null {
  const responses = value.responses.filter((response) => response.stage === value.stage);
  const last = responses[responses.length - 1];
  return last ? new Date(last.at) : null;
}

/** What the policy says about escalating this case now. */
export function escalationDecision(value: Case, policy: EscalationPolicy, now: Date): EscalationDecision {
  const started = stageStartedAt(value, policy);
  const deadline = currentDeadline(value);
  return policy.decideEscalation({
    procedure: value.procedure,
    stage: value.stage,
    now,
    respondedAt: respondedAt(value),
    extended: deadline?.extended ?? false,
    ...(started ? { stageStartedAt: started } : {}),
    ...(value.when.date ? { firstNoticeOn: parseLocalDate(value.when.date) } : {}),
  });
}

