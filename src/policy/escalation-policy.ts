/**
 * The escalation policy every part of the system asks: stages, next steps, whether escalation is
 * allowed, and deadlines. It holds a checked rulebook and a working-day calendar and nothing
 * else: no clock, no I/O. Callers pass "now" and "received" in.
 */
import { englandAndWalesCalendar } from './calendar/england-and-wales.js';
import type { WorkingDayCalendar } from './calendar/working-days.js';
import { procedureCatalogue, type ProcedureSummary } from './catalogue.js';
import {
  type AgreedResponseRequest,
  computeAcknowledgementDeadline,
  computeAgreedResponseDeadline,
  computeDeadline,
  computeStageResponseDeadline,
  type Deadline,
  type DeadlineRequest,
} from './deadlines.js';
import type { OmbudsmanDefinition, ProcedureDefinition } from './definition-schema.js';
import {
  decideEscalation,
  type EscalationDecision,
  type EscalationFacts,
  type NextStep,
  nextStep,
  type OmbudsmanAdvice,
  ombudsmanAdvice,
  type OmbudsmanFacts,
} from './escalation.js';
import { checkIndependence, type IndependenceCheck, type StageDecision } from './independence.js';
import { builtInRulebookData } from './procedures/index.js';
import { createRulebook, findProcedure, type Rulebook, type RulebookData } from './rulebook.js';
import { describeStage, listStages, type StageSummary } from './stages.js';
import { assessStanding, type Standing, type StandingCheck, standingCheckRule, type StandingFacts } from './standing.js';
import { assessTimeliness, type Timeliness, type TimelinessFacts } from './timeliness.js';

/** The rulebook and calendar bound together, with one method per question. */
export class EscalationPolicy {
  constructor(
    readonly rulebook: Rulebook,
    readonly calendar: WorkingDayCalendar,
  ) {}

  /** Every procedure with its stages, handlers, time limits and citations. */
  procedures(): ProcedureSummary[] {
    return procedureCatalogue(this.rulebook);
  }

  /** A procedure's full definition (throws `UnknownProcedure`). */
  procedure(procedureId: string): ProcedureDefinition {
    return findProcedure(this.rulebook, procedureId);
  }

  /** A procedure's stages in order. */
  stages(procedureId: string): StageSummary[] {
    return listStages(this.rulebook, procedureId);
  }

  /** One stage (throws `UnknownProcedure` or `UnknownStage`). */
  stage(procedureId: string, stageId: string): StageSummary {
    return describeStage(this.rulebook, procedureId, stageId);
  }

  /** The next stage, or the ombudsman after the final stage. */
  nextStep(facts: OmbudsmanFacts & { readonly stage: string }): NextStep {
    return nextStep(this.rulebook, this.calendar, facts);
  }

  /** Whether escalation is allowed now, and if not, why. */
  decideEscalation(facts: EscalationFacts): EscalationDecision {
    return decideEscalation(this.rulebook, this.calendar, facts);
  }

  /** A deadline with its provenance. */
  deadline(request: DeadlineRequest): Deadline {
    return computeDeadline(this.rulebook, this.calendar, request);
  }

  /** When a stage's response is due, through any steps that come before it. */
  responseDeadline(request: {
    readonly procedure: string;
    readonly stage: string;
    readonly stageStartedAt: Date;
    readonly extended?: boolean;
    readonly cutOff?: string;
  }): Deadline {
    return computeStageResponseDeadline(this.rulebook, this.calendar, request);
  }

  /** The acknowledgement deadline, where the procedure sets one. */
  acknowledgementDeadline(request: { readonly procedure: string; readonly received: Date; readonly cutOff?: string }): Deadline | null {
    return computeAcknowledgementDeadline(this.rulebook, this.calendar, request);
  }

  /** The ombudsmen a procedure's complaints may go to: its own, then any it shares complaints with (throws `UnknownProcedure`). */
  ombudsmenFor(procedureId: string): OmbudsmanDefinition[] {
    const route = findProcedure(this.rulebook, procedureId).ombudsman;
    return [route.ombudsman, ...(route.joint ? [route.joint.with] : [])].flatMap((id) => {
      const found = this.rulebook.ombudsmen.get(id);
      return found ? [found] : [];
    });
  }

  /** The ombudsman, how to reach them, and when the window closes. */
  ombudsmanAdvice(facts: OmbudsmanFacts): OmbudsmanAdvice {
    return ombudsmanAdvice(this.rulebook, this.calendar, facts);
  }

  /** Whether a complaint is within its procedure's time limit (late ones are flagged, never refused). */
  assessTimeliness(facts: TimelinessFacts): Timeliness {
    return assessTimeliness(this.rulebook, this.calendar, facts);
  }

  /** Whether the person complaining is entitled to, or staff must decide first (sufficient interest, a representative for a child). */
  assessStanding(facts: StandingFacts): Standing {
    return assessStanding(this.rulebook, facts);
  }

  /** What staff decide for a standing check, in the procedure's words (null where it has no such check). */
  standingCheckRule(procedureId: string, check: StandingCheck): ReturnType<typeof standingCheckRule> {
    return standingCheckRule(this.rulebook, procedureId, check);
  }

  /** A response date agreed with the complainant, as a deadline, where the stage allows one (throws `AgreedResponseNotAllowed`). */
  agreedResponseDeadline(request: AgreedResponseRequest): Deadline {
    return computeAgreedResponseDeadline(this.rulebook, this.calendar, request);
  }

  /** Whether a person may decide a stage, given who decided the earlier ones. */
  checkIndependence(request: {
    readonly procedure: string;
    readonly stage: string;
    readonly decider: string;
    readonly earlier: readonly StageDecision[];
  }): IndependenceCheck {
    return checkIndependence(this.rulebook, request);
  }
}

/**
 * The policy built from rulebook data and a calendar; the shipped procedures and the England
 * and Wales calendar by default.
 */
export function createEscalationPolicy(options: { readonly rulebook?: RulebookData; readonly calendar?: WorkingDayCalendar } = {}): EscalationPolicy {
  return new EscalationPolicy(createRulebook(options.rulebook ?? builtInRulebookData), options.calendar ?? englandAndWalesCalendar);
}
