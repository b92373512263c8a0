/**
 * Who may complain. The bot never turns anyone away for who they are: where a procedure limits
 * who is entitled (children's social care: the child, a parent, someone with parental
 * responsibility, a local authority foster parent), anyone else is accepted and the case is
 * flagged for staff to decide whether they have sufficient interest; where a procedure lets a
 * representative complain for a child only on reasonable grounds (SI 2009/309 reg 5), such a
 * complaint, or one for someone who may be a child, is flagged for that check.
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
      /** The same said to the person complaining: "whether you have sufficient interest in the child’s welfare". */
      readonly toComplainant: string;
      readonly rule: string;
      readonly citation: Citation;
    };

/** Facts about who is complaining for whom. */
export interface StandingFacts {
  readonly procedure: string;
  readonly relationship: Relationship;
  /** Whether the person affected is a child (under 18); null or absent when not known ("Not sure"), which is checked as if they may be. */
  readonly personAffectedIsChild?: boolean | null;
}

/** What staff decide for a check, in the procedure's words, or null where the procedure has no such check. */
export function standingCheckRule(
  rulebook: Rulebook,
  procedureId: string,
  check: StandingCheck,
): { readonly decision: string; readonly toComplainant: string; readonly rule: string; readonly citation: Citation } | null {
  const procedure = findProcedure(rulebook, procedureId);
  if (check === 'sufficient-interest') return procedure.whoMayComplain?.othersNeed ?? null;
  const representative = procedure.representativeForChild;
  return representative
    ? { decision: representative.check, toComplainant: representative.toComplainant, rule: representative.rule, citation: representative.citation }
    : null;
}

/**
 * Whether the person complaining is entitled to, or staff must decide first.
 * @example assessStanding(rulebook, { procedure: 'la-childrens-services', relationship: 'relative' }).status // 'needs-decision'
 */
export function assessStanding(rulebook: Rulebook, facts: StandingFacts): Standing {
  const procedure = findProcedure(rulebook, facts.procedure);
  // Under 18 or not sure: only a known adult skips the reg 5 check. Considering a child's complaint
  // without it would be wrong, while staff can clear the flag for someone who turns out to be 18.
  const check: StandingCheck | null =
    procedure.whoMayComplain && !procedure.whoMayComplain.entitled.includes(facts.relationship)
      ? 'sufficient-interest'
      : procedure.representativeForChild && facts.relationship !== 'self' && facts.personAffectedIsChild !== false
        ? 'representative-for-child'
        : null;
  const rule = check === null ? null : standingCheckRule(rulebook, procedure.id, check);
  return check !== null && rule !== null ? { status: 'needs-decision', check, ...rule } : { status: 'entitled' };
}
