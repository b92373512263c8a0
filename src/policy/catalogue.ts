/**
 * The whole rulebook as one document: every procedure with its stages in order, handlers, time
 * limits and citations, with stable ids, for staff, auditors and other services.
 */
import type { Citation, ProcedureDefinition } from './definition-schema.js';
import type { Rulebook } from './rulebook.js';
import { type StageSummary, summariseLimit, summariseStage, type TimeLimitSummary } from './stages.js';
import { amountText } from './wording.js';

/** One procedure, summarised. */
export interface ProcedureSummary {
  readonly id: string;
  readonly name: string;
  readonly summary: string;
  readonly basis: ProcedureDefinition['basis'];
  readonly overseenBy: ProcedureDefinition['overseenBy'] | null;
  readonly stages: readonly StageSummary[];
  readonly acknowledgement: TimeLimitSummary | null;
  readonly complaintTimeLimit: {
    readonly text: string;
    readonly counting: ProcedureDefinition['ombudsman']['window']['counting'];
    readonly lateComplaints: string;
    readonly lateAcceptedWhen: string;
    readonly citation: Citation;
  } | null;
  readonly ombudsman: {
    readonly id: string;
    readonly name: string;
    readonly jointWith: string | null;
    readonly window: string;
    readonly counting: ProcedureDefinition['ombudsman']['window']['counting'];
    readonly mayBeWaived: boolean;
    readonly citation: Citation;
    /** The ombudsman normally expects the local procedure to finish first, except when the body is late. */
    readonly localProcessFirst: ProcedureDefinition['ombudsman']['localProcessFirst'];
    readonly referral: ProcedureDefinition['ombudsman']['referral'] | null;
  };
  readonly rules: ProcedureRules;
}

/** The procedure-wide rules, each with its citation. */
export type ProcedureRules = Pick<
  ProcedureDefinition,
  | 'safeguarding'
  | 'advocacy'
  | 'whoMayComplain'
  | 'representativeForChild'
  | 'redirection'
  | 'coordination'
  | 'independence'
  | 'otherDuties'
  | 'selfAssessment'
  | 'discrepancies'
>;

/** Summarises one procedure. */
export function summariseProcedure(rulebook: Rulebook, procedure: ProcedureDefinition): ProcedureSummary {
  const ack = procedure.acknowledgement;
  const first = procedure.stages[0];
  const route = procedure.ombudsman;
  const limit = procedure.complaintTimeLimit;
  return {
    id: procedure.id,
    name: procedure.name,
    summary: procedure.summary,
    basis: procedure.basis,
    overseenBy: procedure.overseenBy ?? null,
    stages: procedure.stages.map((stage) => summariseStage(procedure, stage)),
    acknowledgement: ack && first ? summariseLimit(ack, first) : null,
    complaintTimeLimit: limit
      ? {
          text: `${limit.description} (${amountText(limit.amount, limit.unit)})`,
          counting: limit.counting,
          lateComplaints: limit.lateComplaints,
          lateAcceptedWhen: limit.lateAcceptedWhen,
          citation: limit.citation,
        }
      : null,
    ombudsman: {
      id: route.ombudsman,
      name: rulebook.ombudsmen.get(route.ombudsman)?.name ?? route.ombudsman,
      jointWith: route.joint?.with ?? null,
      window: route.window.description,
      counting: route.window.counting,
      mayBeWaived: route.window.mayBeWaived,
      citation: route.window.citation,
      localProcessFirst: route.localProcessFirst,
      referral: route.referral ?? null,
    },
    rules: {
      safeguarding: procedure.safeguarding,
      advocacy: procedure.advocacy,
      whoMayComplain: procedure.whoMayComplain,
      representativeForChild: procedure.representativeForChild,
      redirection: procedure.redirection,
      coordination: procedure.coordination,
      independence: procedure.independence,
      otherDuties: procedure.otherDuties,
      selfAssessment: procedure.selfAssessment,
      discrepancies: procedure.discrepancies,
    },
  };
}

/** Every procedure, summarised, in rulebook order. */
export function procedureCatalogue(rulebook: Rulebook): ProcedureSummary[] {
  return rulebook.procedures.map((procedure) => summariseProcedure(rulebook, procedure));
}
