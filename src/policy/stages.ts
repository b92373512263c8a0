/**
 * Stages as the rest of the system sees them: who handles each, what happens there, and its time
 * limits in words, with stable ids for other programs.
 */
import type { Citation, ProcedureDefinition, StageDefinition, TimeLimitDefinition } from './definition-schema.js';
import { findProcedure, findStage, responseTimeLimit, type Rulebook } from './rulebook.js';
import { amountText, timeLimitText } from './wording.js';

/** A time limit in words, with its citation. */
export interface TimeLimitSummary {
  readonly id: string;
  readonly kind: TimeLimitDefinition['kind'];
  readonly description: string;
  readonly text: string;
  readonly amount: number;
  readonly unit: TimeLimitDefinition['unit'];
  readonly counts: 'from-stage-start' | `after:${string}`;
  /** How the period is counted from its first day, as the provision words it. */
  readonly counting: TimeLimitDefinition['counting'];
  readonly orAsSoonAsPracticable: boolean;
  readonly extendableTo: number | null;
  /** For an acknowledgement: given by the service as it receives the complaint, or by staff. */
  readonly acknowledgedBy: TimeLimitDefinition['acknowledgedBy'];
  readonly citation: Citation;
}

/** A stage, ready to show to a member of the public or to staff. */
export interface StageSummary {
  readonly procedure: string;
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly handler: StageDefinition['handler'];
  /** 1-based position in the procedure, and how many stages it has. */
  readonly position: number;
  readonly of: number;
  readonly final: boolean;
  readonly enteredBy: StageDefinition['entry']['by'];
  /** The complainant's window to ask for this stage, in words and with its citation, or null. */
  readonly requestWithin: (NonNullable<StageDefinition['entry']['requestWithin']> & { readonly text: string }) | null;
  /** The rule letting the complainant ask for this stage when the previous response is overdue, or null. */
  readonly whenPreviousResponseOverdue: StageDefinition['entry']['whenPreviousResponseOverdue'] | null;
  /** Where staff may record a response date agreed with the complainant, the rule; or null. */
  readonly agreedResponse: StageDefinition['agreedResponse'] | null;
  readonly timeLimits: readonly TimeLimitSummary[];
  /** The id of the time limit whose event is the response the complainant can act on. */
  readonly responseTimeLimit: string;
}

/** A time limit in words, with its citation. */
export function summariseLimit(limit: TimeLimitDefinition, stage: StageDefinition): TimeLimitSummary {
  return {
    id: limit.id,
    kind: limit.kind,
    description: limit.description,
    text: timeLimitText(limit, stage),
    amount: limit.amount,
    unit: limit.unit,
    counts: typeof limit.from === 'object' ? `after:${limit.from.after}` : 'from-stage-start',
    counting: limit.counting,
    orAsSoonAsPracticable: limit.orAsSoonAsPracticable,
    extendableTo: limit.extension?.upTo ?? null,
    acknowledgedBy: limit.acknowledgedBy,
    citation: limit.citation,
  };
}

/** A stage's summary. */
export function summariseStage(procedure: ProcedureDefinition, stage: StageDefinition): StageSummary {
  const position = procedure.stages.indexOf(stage) + 1;
  return {
    procedure: procedure.id,
    id: stage.id,
    name: stage.name,
    description: stage.description,
    handler: stage.handler,
    position,
    of: procedure.stages.length,
    final: stage.final,
    enteredBy: stage.entry.by,
    requestWithin: stage.entry.requestWithin
      ? {
          ...stage.entry.requestWithin,
          text: `${amountText(stage.entry.requestWithin.amount, stage.entry.requestWithin.unit)}: ${stage.entry.requestWithin.description}`,
        }
      : null,
    whenPreviousResponseOverdue: stage.entry.whenPreviousResponseOverdue ?? null,
    agreedResponse: stage.agreedResponse ?? null,
    timeLimits: stage.timeLimits.map((limit) => summariseLimit(limit, stage)),
    responseTimeLimit: responseTimeLimit(procedure, stage).id,
  };
}

/** Every stage of a procedure in order. */
export function listStages(rulebook: Rulebook, procedureId: string): StageSummary[] {
  const procedure = findProcedure(rulebook, procedureId);
  return procedure.stages.map((stage) => summariseStage(procedure, stage));
}

/** One stage of a procedure. */
export function describeStage(rulebook: Rulebook, procedureId: string, stageId: string): StageSummary {
  const procedure = findProcedure(rulebook, procedureId);
  return summariseStage(procedure, findStage(procedure, stageId).stage);
}
