/**
 * Errors the rulebook raises, each named after the rule it enforces and carrying what a person
 * (a developer adding a procedure, a staff member at the command line) needs to put it right.
 */

/** A schema problem, located by a path such as `stages[2].handler.role`. */
export interface DefinitionIssue {
  readonly path: string;
  readonly message: string;
}

interface IssueLike {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
}

const KIND_NAMES: Record<string, string> = {
  string: 'text',
  int: 'whole number',
  number: 'number',
  boolean: 'true or false',
  object: 'object',
  array: 'list',
};

function renderPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text ? `.${String(key)}` : String(key);
  }
  return text || '(the whole definition)';
}

/** Turns zod issues into path-named messages ("stages[2].handler.role: is missing"). */
export function formatIssues(issues: readonly IssueLike[]): DefinitionIssue[] {
  return issues.map((issue) => {
    const missing = issue.code === 'invalid_type' && /received undefined$/.test(issue.message);
    const expected = /expected (\w+)/.exec(issue.message)?.[1];
    const kind = expected === undefined ? undefined : (KIND_NAMES[expected] ?? expected);
    const message = missing ? `is missing${kind ? ` (expected ${kind})` : ''}` : issue.message;
    return { path: renderPath(issue.path), message };
  });
}

function listIssues(issues: readonly DefinitionIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
}

/** A procedure definition does not satisfy the rulebook's schema. */
export class InvalidProcedureDefinition extends Error {
  override readonly name = 'InvalidProcedureDefinition';
  constructor(
    readonly procedureId: string,
    readonly issues: readonly DefinitionIssue[],
  ) {
    super(`Procedure definition "${procedureId}" is invalid: ${listIssues(issues)}`);
  }
}

/** The bank-holiday snapshot is malformed. */
export class InvalidCalendarSnapshot extends Error {
  override readonly name = 'InvalidCalendarSnapshot';
  constructor(readonly issues: readonly DefinitionIssue[]) {
    super(`Bank-holiday snapshot is invalid: ${listIssues(issues)}`);
  }
}

/** No procedure has this id. */
export class UnknownProcedure extends Error {
  override readonly name = 'UnknownProcedure';
  constructor(
    readonly procedureId: string,
    readonly known: readonly string[],
  ) {
    super(`Unknown procedure "${procedureId}". Known procedures: ${known.join(', ')}`);
  }
}

/** The procedure has no stage with this id. */
export class UnknownStage extends Error {
  override readonly name = 'UnknownStage';
  constructor(
    readonly procedureId: string,
    readonly stageId: string,
    readonly known: readonly string[],
  ) {
    super(`Procedure "${procedureId}" has no stage "${stageId}". Its stages: ${known.join(', ')}`);
  }
}

/** The stage has no time limit with this id. */
export class UnknownTimeLimit extends Error {
  override readonly name = 'UnknownTimeLimit';
  constructor(
    readonly procedureId: string,
    readonly stageId: string,
    readonly timeLimitId: string,
    readonly known: readonly string[],
  ) {
    super(`Stage "${stageId}" of "${procedureId}" has no time limit "${timeLimitId}". Its time limits: ${known.join(', ')}`);
  }
}

/** An extension was asked for where the procedure allows none. */
export class ExtensionNotAllowed extends Error {
  override readonly name = 'ExtensionNotAllowed';
  constructor(
    readonly procedureId: string,
    readonly stageId: string,
    readonly timeLimitId: string,
  ) {
    super(`The procedure does not allow the "${timeLimitId}" time limit of stage "${stageId}" of "${procedureId}" to be extended`);
  }
}

/** A response date agreed with the complainant where the stage's rules provide for none (only SI 2009/309 does). */
export class AgreedResponseNotAllowed extends Error {
  override readonly name = 'AgreedResponseNotAllowed';
  constructor(
    readonly procedureId: string,
    readonly stageId: string,
  ) {
    super(`Stage "${stageId}" of "${procedureId}" has no response period agreed with the complainant; its time limits are fixed`);
  }
}

/** A response date agreed for a day already past: it would make the case late the moment it is recorded. */
export class AgreedResponseDateInPast extends Error {
  override readonly name = 'AgreedResponseDateInPast';
  constructor(
    readonly agreedOn: string,
    readonly today: string,
  ) {
    super(`The agreed response date ${agreedOn} is before today, ${today}`);
  }
}

/** Thrown when text is not a real calendar date in `YYYY-MM-DD` form. */
export class InvalidLocalDate extends Error {
  override readonly name = 'InvalidLocalDate';
  constructor(readonly text: string) {
    super(`"${text}" is not a calendar date in the form YYYY-MM-DD (for example 2025-04-03)`);
  }
}

/** Thrown when an instant is not a valid time (an `Invalid Date`). */
export class InvalidInstant extends Error {
  override readonly name = 'InvalidInstant';
  constructor(readonly what: string) {
    super(`${what} is not a valid date and time`);
  }
}

/** Thrown when a local time is not `HH:MM` or `HH:MM:SS` on a 24-hour clock. */
export class InvalidLocalTime extends Error {
  override readonly name = 'InvalidLocalTime';
  constructor(readonly text: string) {
    super(`"${text}" is not a time in the form HH:MM (24-hour clock, for example 17:00)`);
  }
}
