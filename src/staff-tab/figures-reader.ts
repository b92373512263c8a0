/**
 * Reads the facts of the cases a period's figures count (lodged in it, from the lodged index)
 * and computes them. The facts are read a batch at a time, so a large council's year is never a
 * hundred thousand requests in flight at once.
 */
import type { CaseFacts } from '../cases/case-facts.js';
import type { CaseStore } from '../cases/case-store.js';
import { addDays, type EscalationPolicy, type LocalDate, startOfDayInZone } from '../policy/index.js';
import { type Figures, figuresFor } from './figures.js';

/** The most cases one period's figures read (a large council's year). */
export const FIGURES_LIMIT = 200_000;

/** Cases whose facts are read at once. */
const BATCH = 20_000;

export interface FiguresRequest {
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly procedure: string;
}

/** The figures for a period (both dates included, in the policy's zone) and procedure, as at `now`. */
export async function readFigures(cases: CaseStore, policy: EscalationPolicy, now: Date, request: FiguresRequest): Promise<Figures> {
  const zone = policy.calendar.timeZone;
  const references = await cases.lodgedBetween(startOfDayInZone(request.from, zone), startOfDayInZone(addDays(request.to, 1), zone), {
    limit: FIGURES_LIMIT,
  });
  const read: CaseFacts[] = [];
  for (let start = 0; start < references.length; start += BATCH) read.push(...(await cases.factsOf(references.slice(start, start + BATCH))));
  return figuresFor(read, request, policy, now);
}
