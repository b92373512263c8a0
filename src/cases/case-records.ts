/**
 * Turning cases and events into stored records and back, checked against the schemas on the way
 * in and on the way out. Shared by every store, so they accept and refuse exactly the same data.
 */
import { createHash, randomUUID } from 'node:crypto';
import { type Case, type CaseEvent, caseEventSchema, caseSchema, type StoredCase } from './case.js';
import type { CaseEventInput } from './case-store.js';
import { InvalidCaseData } from './errors.js';
import { isUsableSecondFactor } from './second-factor.js';

function problems(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string[] {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || '(case)'}: ${issue.message}`);
}

/**
 * Freezes a value all the way down. Stores hand out frozen cases, so code that edits one in
 * place instead of working on a copy fails at once, rather than leaving the case listed in the
 * wrong indexes.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Checks a case before it is written; the result is a frozen copy. */
export function validCase(value: unknown): Case {
  const parsed = caseSchema.safeParse(value);
  if (!parsed.success) throw new InvalidCaseData('write', problems(parsed.error));
  return deepFreeze(parsed.data);
}

/**
 * Everything that unlocks a case: the detail the complainant chose (an email, a phone number or
 * the access code they were given) and every contact detail the case holds, so that either the
 * email or the phone given at lodging finds it.
 */
export function secondFactorsOf(value: Pick<Case, 'contact'>, chosen: string): string[] {
  return [chosen, value.contact.email, value.contact.phone].filter((factor): factor is string => factor !== null);
}

/** Checks the second factor a case will be protected by. */
export function checkSecondFactor(factor: string): void {
  if (!isUsableSecondFactor(factor)) throw new InvalidCaseData('write', ['secondFactor: must be an email address or a phone number']);
}

/** Builds and checks a history event. */
export function newEvent(input: CaseEventInput, stage: string): CaseEvent {
  const parsed = caseEventSchema.safeParse({ ...input, id: randomUUID(), stage, details: input.details ?? {} });
  if (!parsed.success) throw new InvalidCaseData('write', problems(parsed.error));
  return parsed.data;
}

/** Reads a stored document back, refusing a damaged one. */
export function readCase(doc: string, version: number): StoredCase {
  let json: unknown;
  try {
    json = JSON.parse(doc);
  } catch {
    throw new InvalidCaseData('read', ['the stored document is not JSON']);
  }
  const parsed = caseSchema.safeParse(json);
  if (!parsed.success) throw new InvalidCaseData('read', problems(parsed.error));
  return deepFreeze({ case: parsed.data, version });
}

/** Reads a stored history event back. */
export function readEvent(json: string): CaseEvent {
  const parsed = caseEventSchema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new InvalidCaseData('read', problems(parsed.error));
  return parsed.data;
}

/** The hash a submission key is remembered by (never the key itself: it may contain ids). */
export function submissionHash(submissionKey: string): string {
  return createHash('sha256').update(submissionKey).digest('hex');
}
