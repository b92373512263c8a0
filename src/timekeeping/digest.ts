/**
 * The daily digest for the complaints channel: what is due this week, what is overdue, what
 * nobody has picked up, and the decisions waiting on staff (a late complaint, a late request for
 * the next stage, who may complain), with the ten most urgent cases. Built from the cases as they
 * stand when it is posted, so it is never a day stale; `buildDigest` is pure.
 */
import type { Case } from '../cases/case.js';
import { STATUSES_WITH_A_DEADLINE } from '../cases/case.js';
import type { CaseStore } from '../cases/case-store.js';
import { formatReference } from '../cases/reference.js';
import { owedDeadlines } from '../cases/timeline.js';
import { addDays, compareDates, dateInZone, type EscalationPolicy, isoWeekday, type LocalDate } from '../policy/index.js';

/** The day's digest is asked for by its date; the same date twice is one digest. */
export interface DigestRequest {
  /** `digest-<date>`: the job's id, which makes it once. */
  readonly id: string;
  readonly date: LocalDate;
}

/** A request for the digest of a London date. */
export function digestRequest(date: LocalDate): DigestRequest {
  return { id: `digest-${date}`, date };
}

/** One case in the digest's list. */
export interface DigestEntry {
  readonly reference: string;
  /** What is due (or was), and when: "Stage 1 response due 16 June". */
  readonly what: string;
  readonly due: LocalDate | null;
  readonly overdue: boolean;
  readonly assigned: boolean;
  /** The decisions waiting on staff for this case, in words. */
  readonly decisions: readonly string[];
  /** Where its thread is in Teams, when it has one. */
  readonly thread: Case['teamsThread'];
}

export interface DailyDigest {
  readonly date: LocalDate;
  readonly counts: { readonly dueThisWeek: number; readonly overdue: number; readonly unassigned: number; readonly decisionsWaiting: number };
  /** The ten most urgent: overdue first (longest late first), then soonest due, then decisions waiting. */
  readonly urgent: readonly DigestEntry[];
  /** True when there were more cases than one digest reads: the counts are then "at least". */
  readonly partial: boolean;
}

/** How many cases the digest lists by name. */
export const DIGEST_LIST = 10;

/** The decisions a case is waiting on staff for. */
function decisionsOf(value: Case): string[] {
  const waiting: string[] = [];
  if (value.flags.late?.decision === 'pending') waiting.push('late complaint: consider it or not');
  if (value.flags.lateEscalation?.decision === 'pending') waiting.push('late request for the next stage');
  if (value.flags.standing?.decision === 'pending') waiting.push('who may complain');
  return waiting;
}

/** The digest of these cases on `date` (London), as of `now`. */
export function buildDigest(cases: readonly Case[], policy: EscalationPolicy, now: Date, partial = false): DailyDigest {
  const today = dateInZone(now, policy.calendar.timeZone);
  // "This week" runs to Sunday: on a Monday that is the whole working week ahead.
  const weekEnds = addDays(today, 7 - isoWeekday(today));
  const entries: DigestEntry[] = [];
  const counts = { dueThisWeek: 0, overdue: 0, unassigned: 0, decisionsWaiting: 0 };
  for (const value of cases) {
    const owed = STATUSES_WITH_A_DEADLINE.includes(value.status);
    const decisions = value.status === 'closed' || value.status === 'redirected' || value.status === 'withdrawn' ? [] : decisionsOf(value);
    const first = owedDeadlines(value, policy)[0] ?? null;
    const overdue = first !== null && compareDates(first.due, today) < 0;
    const dueThisWeek = first !== null && !overdue && compareDates(first.due, weekEnds) <= 0;
    const unassigned = owed && value.handler === null;
    if (overdue) counts.overdue += 1;
    if (dueThisWeek) counts.dueThisWeek += 1;
    if (unassigned) counts.unassigned += 1;
    if (decisions.length > 0) counts.decisionsWaiting += 1;
    if (!overdue && !dueThisWeek && !unassigned && decisions.length === 0) continue;
    const stage = policy.stage(value.procedure, value.stage).name.split(':')[0] ?? value.stage;
    entries.push({
      reference: formatReference(value.reference),
      what: first ? `${stage}: ${first.acknowledgement ? 'acknowledgement' : first.record.kind.replace('-', ' ')}` : stage,
      due: first?.due ?? null,
      overdue,
      assigned: value.handler !== null,
      decisions,
      thread: value.teamsThread,
    });
  }
  entries.sort((a, b) => {
    if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
    if (a.due !== b.due) return a.due === null ? 1 : b.due === null ? -1 : compareDates(a.due, b.due);
    return b.decisions.length - a.decisions.length || a.reference.localeCompare(b.reference);
  });
  return { date: today, counts, urgent: entries.slice(0, DIGEST_LIST), partial };
}

/** The most cases of each status read for one digest: past this, the card says its counts are "at least". */
export const DIGEST_READ_LIMIT = 5000;

/** Reads the cases that can be in a digest (every status but the finished ones) and builds it. */
export async function collectDigest(cases: CaseStore, policy: EscalationPolicy, now: Date): Promise<DailyDigest> {
  const statuses = ['open', 'awaiting-response', 'escalation-requested', 'responded'] as const;
  const lists = await Promise.all(statuses.map((status) => cases.listByStatus(status, { limit: DIGEST_READ_LIMIT })));
  const references = lists.flat();
  const partial = lists.some((list) => list.length >= DIGEST_READ_LIMIT);
  const loaded: Case[] = [];
  // A hundred at a time: a day's digest must not crowd out the turns being served meanwhile.
  for (let start = 0; start < references.length; start += 100) {
    const batch = await Promise.all(references.slice(start, start + 100).map((reference) => cases.get(reference)));
    for (const stored of batch) if (stored) loaded.push(stored.case);
  }
  return buildDigest(loaded, policy, now, partial);
}
