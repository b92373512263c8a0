/**
 * Who may complain. The bot never turns anyone away for who they are: where a procedure limits
 * who is entitled (children's social care: the child, a parent, someone with parental
 * responsibility, a local authority foster parent), anyone else is accepted and the case is
 * flagged for staff to decide whether they have sufficient interest; where a procedure lets a
 * representative complain for a child only on reasonable grounds (SI 2009/309 reg 5), such a
 * complaint is flagged for that check.
 */
import type { Citation, Relationship } from './definition-schema.js';
import { findProcedure, type Rulebook } from './rulebook.js';

/** What staff must decide about who is complaining, before the complaint is considered. */
export type StandingCheck = 'sufficient-interest' | 'representative-for-child';

/** Whether the person may complain as they are, or staff must decide first. */
export type Standing =
  | { readonly status: 'entitled' }
  | {
    readonly status: 'needs-decision';
    readonly check: StandingCheck;
    /** What staff decide, completing "Staff decide ...": "whether the person has sufficient interest in the child’s welfare". */
    readonly decision: string;
    readonly rule: string;
    readonly citation: Citation;
  };

/** Facts about who is complaining for whom. */
export interface StandingFacts {
  readonly procedure: string;
  readonly relationship: Relationship;
  /** Whether the person affected is a child (under 18); null or absent when not known. */
  readonly personAffectedIsChild?: boolean | null;
}

/**
 * Whether the person complaining is entitled to, or staff must decide first.
 * @example assessStanding(rulebook, { procedure: 'la-childrens-services', relationship: 'relative' }).status // 'needs-decision'
 */
export function assessStanding(rulebook: Rulebook, facts: StandingFacts): Standing {
  const procedure = findProcedure(rulebook, facts.procedure);
  const who = procedure.whoMayComplain;
  if (who && !who.entitled.includes(facts.relationship)) {
    return { status: 'needs-decision', check: 'sufficient-interest', decision: who.othersNeed.decision, rule: who.othersNeed.rule, citation: who.othersNeed.citation };
  }
  const representative = procedure.representativeForChild;
  if (representative && facts.relationship !== 'self' && facts.personAffectedIsChild === true) {
    return { status: 'needs-decision', check: 'representative-for-child', decision: representative.check, rule: representative.rule, citation: representative.citation };
  }
  return { status: 'entitled' };
}
