/**
 * The independence rule: whoever decided one stage may not decide the next (or, where the
 * procedure says so, any later one), so each review is a fresh look.
 */
import type { Citation } from './definition-schema.js';
import { findProcedure, findStage, type Rulebook } from './rulebook.js';

/** Who decided which earlier stage of a case. */
export interface StageDecision {
  readonly stage: string;
  /** A stable staff identity (for Teams, the user's AAD object id). */
  readonly decidedBy: string;
}

/** Whether a person may decide a stage of a case. */
export type IndependenceCheck =
  { readonly allowed: true } | { readonly allowed: false; readonly conflictingStage: string; readonly explanation: string; readonly citation: Citation };

/**
 * Checks a proposed decider against who decided the earlier stages of the same case.
 * @example checkIndependence(rulebook, { procedure: 'nhs-choices', stage: 'stage-two', decider: 'u1', earlier: [{ stage: 'stage-one', decidedBy: 'u1' }]
 * }).allowed // false
 */
export function checkIndependence(
  rulebook: Rulebook,
  request: { readonly procedure: string; readonly stage: string; readonly decider: string; readonly earlier: readonly StageDecision[] },
): IndependenceCheck {
  const procedure = findProcedure(rulebook, request.procedure);
  const rule = procedure.independence;
  if (!rule) return { allowed: true };
  const { stage, index } = findStage(procedure, request.stage);
  const barred = rule.scope === 'next-stage' ? procedure.stages.slice(Math.max(0, index - 1), index) : procedure.stages.slice(0, index);
  for (const decision of request.earlier) {
    const earlierStage = barred.find((stage) => stage.id === decision.stage);
    if (earlierStage && decision.decidedBy === request.decider) {
      return {
        allowed: false,
        conflictingStage: earlierStage.id,
        explanation: `You decided ${earlierStage.name} of this complaint, so someone else must decide ${stage.name}. ${rule.rule}`,
        citation: rule.citation,
      };
    }
  }
  return { allowed: true };
}
