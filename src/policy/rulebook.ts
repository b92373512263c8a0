/**
 * The rulebook: procedures and the directory they refer to, checked once and frozen, so that
 * nothing downstream can change a rule by accident.
 */
import type { z } from 'zod';
import {
  type BodyDefinition,
  bodySchema,
  type OmbudsmanDefinition,
  ombudsmanSchema,
  type ProcedureDefinition,
  procedureSchema,
  type StageDefinition,
  type TimeLimitDefinition,
} from './definition-schema.js';
import { type DefinitionIssue, formatIssues, InvalidProcedureDefinition, UnknownProcedure, UnknownStage, UnknownTimeLimit } from './errors.js';

/** Raw rulebook data, as read from JSON. */
export interface RulebookData {
  readonly procedures: readonly unknown[];
  readonly ombudsmen: readonly unknown[];
  readonly bodies?: readonly unknown[];
  /**
   * Rules several procedures share because the same law makes them (SI 2009/309 governs NHS and
   * adult social care complaints alike), by name. A procedure uses one where a value would go,
   * as `{ "$shared": "<name>" }`, and may add or change fields beside it (`"with": { ... }`):
   * the rule is written once, and a correction reaches every procedure that follows it.
   */
  readonly shared?: Readonly<Record<string, unknown>>;
}

/** A checked, frozen rulebook. */
export interface Rulebook {
  readonly procedures: readonly ProcedureDefinition[];
  readonly ombudsmen: ReadonlyMap<string, OmbudsmanDefinition>;
  readonly bodies: ReadonlyMap<string, BodyDefinition>;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function idOf(raw: unknown, fallback: string): string {
  if (raw && typeof raw === 'object' && 'id' in raw && typeof raw.id === 'string' && raw.id) return raw.id;
  return fallback;
}

function parseDirectory<T extends { id: string }>(entries: readonly unknown[], schema: z.ZodType<T>, kind: string): Map<string, T> {
  const map = new Map<string, T>();
  entries.forEach((raw, index) => {
    const parsed = schema.safeParse(raw);
    const label = `${kind} ${idOf(raw, `#${index + 1}`)}`;
    if (!parsed.success) throw new InvalidProcedureDefinition(label, formatIssues(parsed.error.issues));
    if (map.has(parsed.data.id)) throw new InvalidProcedureDefinition(label, [{ path: 'id', message: `"${parsed.data.id}" is listed twice` }]);
    map.set(parsed.data.id, parsed.data);
  });
  return map;
}

function crossReferenceIssues(
  procedure: ProcedureDefinition,
  ombudsmen: ReadonlyMap<string, unknown>,
  bodies: ReadonlyMap<string, unknown>,
): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const knownOmbudsmen = [...ombudsmen.keys()].join(', ');
  if (!ombudsmen.has(procedure.ombudsman.ombudsman)) {
    issues.push({ path: 'ombudsman.ombudsman', message: `"${procedure.ombudsman.ombudsman}" is not in the ombudsman directory (${knownOmbudsmen})` });
  }
  const joint = procedure.ombudsman.joint;
  if (joint && !ombudsmen.has(joint.with)) {
    issues.push({ path: 'ombudsman.joint.with', message: `"${joint.with}" is not in the ombudsman directory (${knownOmbudsmen})` });
  }
  procedure.stages.forEach((stage, stageIndex) => {
    stage.handler.routes?.forEach((route, routeIndex) => {
      if (route.body !== undefined && !bodies.has(route.body)) {
        issues.push({
          path: `stages[${stageIndex}].handler.routes[${routeIndex}].body`,
          message: `"${route.body}" is not in the bodies directory (${[...bodies.keys()].join(', ')})`,
        });
      }
    });
  });
  return issues;
}

/**
 * A procedure's raw data with each `{ "$shared": name }` (and its `with`) replaced by the shared
 * rule, its fields overlaid; names no rule has are listed as issues.
 */
function withSharedRules(raw: unknown, shared: Readonly<Record<string, unknown>>, path: string, issues: DefinitionIssue[]): unknown {
  if (Array.isArray(raw)) return raw.map((item, index) => withSharedRules(item, shared, `${path}[${String(index)}]`, issues));
  if (!raw || typeof raw !== 'object') return raw;
  const entries = Object.entries(raw);
  const name = (raw as Record<string, unknown>)['$shared'];
  if (name === undefined) {
    return Object.fromEntries(entries.map(([key, value]) => [key, withSharedRules(value, shared, path ? `${path}.${key}` : key, issues)]));
  }
  const rule = typeof name === 'string' && Object.hasOwn(shared, name) ? shared[name] : undefined;
  if (!rule || typeof rule !== 'object') {
    issues.push({ path: path || '$shared', message: `${JSON.stringify(name)} is not one of the shared rules (${Object.keys(shared).join(', ') || 'none'})` });
    return raw;
  }
  const overlay = (raw as Record<string, unknown>)['with'];
  const extra = entries.filter(([key]) => key !== '$shared' && key !== 'with');
  if (extra.length > 0) issues.push({ path: `${path}.${extra[0]?.[0] ?? ''}`, message: 'beside "$shared", only "with" may change the shared rule' });
  return { ...rule, ...(overlay && typeof overlay === 'object' ? overlay : {}) };
}

/**
 * Checks rulebook data and returns it frozen. Throws `InvalidProcedureDefinition` naming the
 * procedure and the field at fault, e.g. `stages[2].handler.role: is missing (expected text)`.
 */
export function createRulebook(data: RulebookData): Rulebook {
  const ombudsmen = parseDirectory(data.ombudsmen, ombudsmanSchema, 'ombudsman');
  const bodies = parseDirectory(data.bodies ?? [], bodySchema, 'body');
  const procedures: ProcedureDefinition[] = [];
  data.procedures.forEach((given, index) => {
    const id = idOf(given, `procedures[${index}]`);
    const sharing: DefinitionIssue[] = [];
    const raw = withSharedRules(given, data.shared ?? {}, '', sharing);
    if (sharing.length > 0) throw new InvalidProcedureDefinition(id, sharing);
    const parsed = procedureSchema.safeParse(raw);
    if (!parsed.success) throw new InvalidProcedureDefinition(id, formatIssues(parsed.error.issues));
    const issues = crossReferenceIssues(parsed.data, ombudsmen, bodies);
    if (procedures.some((other) => other.id === parsed.data.id)) issues.push({ path: 'id', message: `"${id}" is already used by another procedure` });
    if (issues.length > 0) throw new InvalidProcedureDefinition(id, issues);
    procedures.push(parsed.data);
  });
  return deepFreeze({ procedures, ombudsmen, bodies });
}

/** A procedure by id, or `UnknownProcedure` listing the known ids. */
export function findProcedure(rulebook: Rulebook, procedureId: string): ProcedureDefinition {
  const procedure = rulebook.procedures.find((candidate) => candidate.id === procedureId);
  if (!procedure)
    throw new UnknownProcedure(
      procedureId,
      rulebook.procedures.map((candidate) => candidate.id),
    );
  return procedure;
}

/** A stage and its position (0-based), or `UnknownStage` listing the procedure's stages. */
export function findStage(procedure: ProcedureDefinition, stageId: string): { stage: StageDefinition; index: number } {
  const index = procedure.stages.findIndex((candidate) => candidate.id === stageId);
  const stage = procedure.stages[index];
  if (!stage)
    throw new UnknownStage(
      procedure.id,
      stageId,
      procedure.stages.map((candidate) => candidate.id),
    );
  return { stage, index };
}

/** A stage's time limit by id (its first when no id is given), or `UnknownTimeLimit`. */
export function findTimeLimit(procedure: ProcedureDefinition, stage: StageDefinition, timeLimitId?: string): TimeLimitDefinition {
  const limit = timeLimitId === undefined ? stage.timeLimits[0] : stage.timeLimits.find((candidate) => candidate.id === timeLimitId);
  if (!limit)
    throw new UnknownTimeLimit(
      procedure.id,
      stage.id,
      timeLimitId ?? '(first)',
      stage.timeLimits.map((candidate) => candidate.id),
    );
  return limit;
}

/** The time limit whose event is the stage's response to the complainant. */
export function responseTimeLimit(procedure: ProcedureDefinition, stage: StageDefinition): TimeLimitDefinition {
  return findTimeLimit(procedure, stage, stage.responseTimeLimit);
}
