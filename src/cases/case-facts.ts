/**
 * A case's facts for the figures: its procedure, stage and status, when it was lodged, its
 * deadlines' dates, when each response went and what it found, and its acknowledgement's dates.
 * Nothing about anyone: no names, words, contact details or staff. Stores keep it beside the
 * sealed record, unsealed, so a year's figures read a few hundred bytes a case rather than
 * opening a hundred thousand records (the indexes already hold a case's status, stage and times
 * unsealed, for the same reason).
 */
import { isLocalDate, type LocalDate } from '../policy/index.js';
import { type Case, CASE_STATUSES, type CaseStatus, type ResponseOutcome, responseOutcomeSchema } from './case.js';
import { InvalidCaseData } from './errors.js';

export interface CaseFacts {
  readonly reference: string;
  readonly procedure: string;
  readonly stage: string;
  readonly status: CaseStatus;
  readonly lodgedAt: string;
  readonly deadlines: readonly { readonly stage: string; readonly endsAt: string; readonly countsFrom: LocalDate; readonly extended: boolean }[];
  readonly responses: readonly { readonly stage: string; readonly at: string; readonly outcome: ResponseOutcome | null }[];
  readonly acknowledgement: { readonly due: { readonly endsAt: string }; readonly acknowledgedAt: string | null } | null;
  /** How a closed case closed (null while open, and in facts kept before it was recorded). */
  readonly closure: Case['closure'];
  /** The ombudsman looking at it, as staff recorded (its id), or null. */
  readonly referredTo: string | null;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Facts as a store kept them (JSON), checked field by field. Checked by hand rather than with a
 * zod schema: a year's figures read a hundred thousand, and zod costs several times the parsing. Throws `InvalidCaseData` for anything that is not facts.
 */
export function readCaseFacts(text: string): CaseFacts {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidCaseData('read', ['the kept facts are not JSON']);
  }
  const facts = isObject(json) ? json : {};
  const deadlines = Array.isArray(facts['deadlines']) ? facts['deadlines'] : null;
  const responses = Array.isArray(facts['responses']) ? facts['responses'] : null;
  const acknowledgement = facts['acknowledgement'];
  const sound =
    isString(facts['reference']) &&
    isString(facts['procedure']) &&
    isString(facts['stage']) &&
    CASE_STATUSES.some((status) => status === facts['status']) &&
    isString(facts['lodgedAt']) &&
    deadlines !== null &&
    deadlines.every(
      (each) =>
        isObject(each) &&
        isString(each['stage']) &&
        isString(each['endsAt']) &&
        isString(each['countsFrom']) &&
        isLocalDate(each['countsFrom']) &&
        typeof each['extended'] === 'boolean',
    ) &&
    responses !== null &&
    responses.every(
      (each) =>
        isObject(each) &&
        isString(each['stage']) &&
        isString(each['at']) &&
        (each['outcome'] === null || responseOutcomeSchema.options.some((outcome) => outcome === each['outcome'])),
    ) &&
    (acknowledgement === null ||
      (isObject(acknowledgement) &&
        isObject(acknowledgement['due']) &&
        isString(acknowledgement['due']['endsAt']) &&
        (acknowledgement['acknowledgedAt'] === null || isString(acknowledgement['acknowledgedAt']))));
  // Facts kept before these two were recorded have neither.
  const closure = facts['closure'] ?? null;
  const referredTo = facts['referredTo'] ?? null;
  if (!sound || !(closure === null || closure === 'decided' || closure === 'window-passed') || !(referredTo === null || isString(referredTo))) {
    throw new InvalidCaseData('read', ['the kept facts are not a case’s facts']);
  }
  return { ...(json as Omit<CaseFacts, 'closure' | 'referredTo'>), closure, referredTo };
}

/** The facts of a case (only the fields named: nothing else of the case is copied). */
export function caseFactsOf(value: Case): CaseFacts {
  return {
    reference: value.reference,
    procedure: value.procedure,
    stage: value.stage,
    status: value.status,
    lodgedAt: value.lodgedAt,
    deadlines: value.deadlines.map((deadline) => ({
      stage: deadline.stage,
      endsAt: deadline.endsAt,
      countsFrom: deadline.countsFrom,
      extended: deadline.extended,
    })),
    responses: value.responses.map((response) => ({ stage: response.stage, at: response.at, outcome: response.outcome })),
    acknowledgement: value.acknowledgement ? { due: { endsAt: value.acknowledgement.due.endsAt }, acknowledgedAt: value.acknowledgement.acknowledgedAt } : null,
    closure: value.closure,
    referredTo: value.ombudsman?.id ?? null,
  };
}
