/**
 * Who may complain, for the staff side: what a case's standing flag asks staff to decide, in the
 * rulebook's words and with its citation, so the card and the decision say the same thing.
 */
import type { Case } from '../cases/case.js';
import type { Citation, EscalationPolicy, StandingCheck } from '../policy/index.js';

/** What staff must decide about who is complaining. */
export interface StandingQuestion {
  readonly check: StandingCheck;
  /** Completes "Decide ...": "whether the person has sufficient interest in the child’s welfare". */
  readonly decision: string;
  readonly rule: string;
  readonly citation: Citation;
  /** What accepting means, in a few words for a history line. */
  readonly accepted: string;
}

const ACCEPTED: Readonly<Record<StandingCheck, string>> = {
  'sufficient-interest': 'has sufficient interest in the child’s welfare',
  'representative-for-child': 'may complain for the child as their representative',
};

/** The question a case's standing flag asks, in the procedure's words, or null when it has none. */
export function standingQuestion(value: Case, policy: EscalationPolicy): StandingQuestion | null {
  const flag = value.flags.standing;
  const rule = flag ? policy.standingCheckRule(value.procedure, flag.check) : null;
  return flag && rule ? { check: flag.check, ...rule, accepted: ACCEPTED[flag.check] } : null;
}
