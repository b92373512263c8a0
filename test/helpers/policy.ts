/** Shared fixtures: the shipped policy, and helpers to write dates in tests briefly. */
import { createEscalationPolicy, type LocalDate, parseLocalDate } from '../../src/policy/index.js';

/** The policy as shipped: built-in procedures and the England and Wales calendar. */
export const policy = createEscalationPolicy();

/** A checked LocalDate from a literal. */
export function d(text: string): LocalDate {
  return parseLocalDate(text);
}

/** An instant from ISO text with an explicit offset (tests never rely on the host zone). */
export function at(iso: string): Date {
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(iso)) throw new Error(`test instants need an explicit offset: ${iso}`);
  return new Date(iso);
}
