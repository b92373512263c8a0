/**
 * The staff tab's queue: which cases a view lists, and each as a row (reference, procedure and
 * stage, status in words, handler, deadline with working days left, flags), overdue first, then
 * by deadline, a page at a time. Pure: the cases come in (read through the store's indexes), the
 * rows go out. No row holds anything about the complainant.
 */
import { z } from 'zod';
import { type Case, STATUSES_WITH_A_DEADLINE } from '../cases/case.js';
import { dueOn } from '../cases/case-policy.js';
import { currentDeadline } from '../cases/indexing.js';
import { formatReference } from '../cases/reference.js';
import { compareDates, dateInZone, type EscalationPolicy, workingDaysBetween } from '../policy/index.js';
import { STATUS_WORDS } from '../teams/cards/case-card.js';
import { inListOrder } from '../teams/my-cases.js';

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
  /** The date the response (or what is owed) is due, YYYY-MM-DD; null when nothing is owed. */
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

/** Whether a case belongs in a view (after the store's index chose the candidates). */
function inView(value: Case, query: QueueQuery, staffId: string, row: QueueRow): boolean {
  const open = STATUSES_WITH_A_DEADLINE.includes(value.status) || value.status === 'responded';
  const filtered =
    (query.procedure === undefined || value.procedure === query.procedure) &&
    (query.stage === undefined || value.stage === query.stage) &&
    (query.status === undefined || value.status === query.status) &&
    (query.handler === undefined || value.handler?.id === query.handler.toLowerCase());
  if (!filtered) return false;
  switch (query.view) {
    case 'unassigned':
      return open && value.handler === null;
    case 'mine':
      return value.handler?.id === staffId && open;
    case 'due':
      return !row.overdue && row.workingDaysLeft !== null && row.workingDaysLeft <= query.days;
    case 'overdue':
      return row.overdue;
    case 'awaiting-decision':
      return open && awaitingDecisions(value).length > 0;
    case 'open':
      return open;
  }
}

/** A case as a row. */
export function queueRow(value: Case, policy: EscalationPolicy, now: Date): QueueRow {
  const deadline = currentDeadline(value);
  const owed = deadline !== null && STATUSES_WITH_A_DEADLINE.includes(value.status);
  const due = owed ? dueOn(value, policy, deadline) : null;
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
    due,
    workingDaysLeft: left,
    overdue,
    flags: flagsOf(value),
  };
}

/** Every case of a view, in the queue's order (overdue first, then by deadline). */
function chosenFor(candidates: readonly Case[], query: QueueQuery, staffId: string, policy: EscalationPolicy, now: Date): Case[] {
  return inListOrder(
    candidates.filter((value) => inView(value, query, staffId, queueRow(value, policy, now))),
    policy,
    now,
  );
}

/** Every row of a view (for its CSV export). */
export function queueRows(candidates: readonly Case[], query: QueueQuery, staffId: string, policy: EscalationPolicy, now: Date): QueueRow[] {
  return chosenFor(candidates, query, staffId, policy, now).map((value) => queueRow(value, policy, now));
}

/** The page of a view, from the candidate cases its index gave. */
export function queuePage(candidates: readonly Case[], query: QueueQuery, staffId: string, policy: EscalationPolicy, now: Date): QueuePage {
  const chosen = chosenFor(candidates, query, staffId, policy, now);
  const pages = Math.max(1, Math.ceil(chosen.length / QUEUE_PAGE));
  const page = Math.min(query.page, pages);
  return {
    view: query.view,
    page,
    pages,
    total: chosen.length,
    rows: chosen.slice((page - 1) * QUEUE_PAGE, page * QUEUE_PAGE).map((value) => queueRow(value, policy, now)),
  };
}
