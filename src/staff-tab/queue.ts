/**
 * The staff tab's queue: what the store's indexes are asked for each view, and each case as a
 * row (reference, procedure and stage, status in words, handler, what is owed and when, with
 * working days left, flags), in the index's order: what is owed soonest first, so overdue first.
 * Pure: reading is in queue-reader.ts. No row holds anything about the complainant.
 */
import { z } from 'zod';
import { type Case, CASE_STATUSES, type CaseStatus, type DeadlineRecord, STATUSES_WITH_A_DEADLINE } from '../cases/case.js';
import { dueOn } from '../cases/case-policy.js';
import type { QueueIndex, QueueRequest } from '../cases/case-store.js';
import { currentDeadline } from '../cases/indexing.js';
import { formatReference } from '../cases/reference.js';
import { addDays, addWorkingDays, compareDates, dateInZone, type EscalationPolicy, startOfDayInZone, workingDaysBetween } from '../policy/index.js';
import { STATUS_WORDS } from '../teams/cards/case-card.js';

/** The views staff work from. */
export const QUEUE_VIEWS = ['unassigned', 'mine', 'due', 'overdue', 'awaiting-decision', 'open'] as const;
export type QueueView = (typeof QUEUE_VIEWS)[number];

/** Rows a page holds. */
export const QUEUE_PAGE = 25;

/** A queue request, as the tab sends it in the query string (filters only: nothing personal). */
export const queueQuerySchema = z.object({
  view: z.enum(QUEUE_VIEWS).default('open'),
  /** For "due": within this many working days from today. */
  days: z.coerce.number().int().min(0).max(60).default(5),
  procedure: z.string().max(100).optional(),
  stage: z.string().max(100).optional(),
  status: z.string().max(40).optional(),
  handler: z.string().max(100).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
export type QueueQuery = z.output<typeof queueQuerySchema>;

/** One row of the queue. */
export interface QueueRow {
  readonly reference: string;
  readonly procedure: string;
  readonly procedureName: string;
  readonly stage: string;
  readonly stageName: string;
  readonly status: Case['status'];
  readonly statusWords: string;
  readonly handler: string | null;
  /** What is owed first (an acknowledgement, a response, ...); null when nothing is. */
  readonly owed: DeadlineRecord['kind'] | null;
  /** The date it is due, YYYY-MM-DD; null when nothing is owed. */
  readonly due: string | null;
  /** Working days from today to the due date (negative: how many overdue). */
  readonly workingDaysLeft: number | null;
  readonly overdue: boolean;
  readonly flags: readonly string[];
}

export interface QueuePage {
  readonly view: QueueView;
  readonly page: number;
  readonly pages: number;
  readonly total: number;
  readonly rows: readonly QueueRow[];
}

/** Decisions a case waits on before anything else happens. */
export function awaitingDecisions(value: Case): string[] {
  const flags: string[] = [];
  if (value.flags.late?.decision === 'pending') flags.push('late complaint');
  if (value.flags.lateEscalation?.decision === 'pending') flags.push('late request to go further');
  if (value.flags.standing?.decision === 'pending')
    flags.push(value.flags.standing.check === 'sufficient-interest' ? 'sufficient interest' : 'representative for a child');
  return flags;
}

function flagsOf(value: Case): string[] {
  return [...(value.flags.safeguarding ? ['safeguarding concern'] : []), ...awaitingDecisions(value)];
}

/** A status the query names, if it is one. */
function statusNamed(text: string): CaseStatus | null {
  return CASE_STATUSES.find((status) => status === text) ?? null;
}

/**
 * What a view asks of the store's queue: a range of queue positions and the indexes a case must
 * be in. A view's own rules beyond the indexes (awaiting a decision) are applied to the cases read.
 * Unknown names (a procedure no longer configured) make a group of no index: nothing matches.
 */
export function queueRequestFor(query: QueueQuery, staffId: string, policy: EscalationPolicy, now: Date): Omit<QueueRequest, 'offset' | 'limit'> {
  const zone = policy.calendar.timeZone;
  const today = dateInZone(now, zone);
  const startOfToday = startOfDayInZone(today, zone).getTime();
  const within: QueueIndex[][] = [];
  const procedures = policy.procedures();
  if (query.procedure !== undefined || query.stage !== undefined) {
    within.push(
      procedures
        .filter((procedure) => query.procedure === undefined || procedure.id === query.procedure)
        .flatMap((procedure) =>
          procedure.stages
            .filter((stage) => query.stage === undefined || stage.id === query.stage)
            .map((stage) => ({ procedure: procedure.id, stage: stage.id })),
        ),
    );
  }
  if (query.status !== undefined) {
    const status = statusNamed(query.status);
    within.push(status ? [{ status }] : []);
  }
  if (query.handler !== undefined) within.push([{ handlerId: query.handler.toLowerCase() }]);
  if (query.view === 'unassigned') within.push([{ handlerId: null }]);
  if (query.view === 'mine') within.push([{ handlerId: staffId }]);
  switch (query.view) {
    case 'overdue':
      // A deadline ends at the end of its day: overdue once that day is before today.
      return { from: 0, to: startOfToday, within };
    case 'due':
      return { from: startOfToday, to: startOfDayInZone(addDays(addWorkingDays(policy.calendar, today, query.days), 1), zone).getTime(), within };
    default:
      return { from: 0, to: Infinity, within };
  }
}

/** A case as a row. */
export function queueRow(value: Case, policy: EscalationPolicy, now: Date): QueueRow {
  // What is owed first, as the queue's index orders it: an acknowledgement not yet given, then the stage's deadline.
  const acknowledgement = value.acknowledgement && !value.acknowledgement.acknowledgedAt ? value.acknowledgement.due : null;
  const deadline = acknowledgement ?? currentDeadline(value);
  const owed = deadline !== null && STATUSES_WITH_A_DEADLINE.includes(value.status) ? deadline : null;
  const due = owed ? dueOn(value, policy, owed) : null;
  const today = dateInZone(now, policy.calendar.timeZone);
  const overdue = due !== null && compareDates(today, due) > 0;
  const left = due === null ? null : overdue ? -workingDaysBetween(policy.calendar, due, today) : workingDaysBetween(policy.calendar, today, due);
  return {
    reference: formatReference(value.reference),
    procedure: value.procedure,
    procedureName: policy.procedure(value.procedure).name,
    stage: value.stage,
    stageName: policy.stage(value.procedure, value.stage).name,
    status: value.status,
    statusWords: STATUS_WORDS[value.status],
    handler: value.handler?.name ?? null,
    owed: owed?.kind ?? null,
    due,
    workingDaysLeft: left,
    overdue,
    flags: flagsOf(value),
  };
}

/** Whether a view keeps a case its indexes chose (awaiting a decision has no index of its own). */
export function keptByView(value: Case, query: QueueQuery): boolean {
  return query.view !== 'awaiting-decision' || awaitingDecisions(value).length > 0;
}
