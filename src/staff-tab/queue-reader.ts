/**
 * Reads the staff tab's queue through the store's indexes: a page asks the store for its slice
 * (positions and references only) and reads just the page's cases, so a page costs the same
 * among a hundred open cases as among a hundred thousand. The one view with no index of its own
 * (awaiting a decision) reads its candidates in batches and keeps those that wait on one.
 */
import type { Case } from '../cases/case.js';
import type { CaseStore, QueueRequest } from '../cases/case-store.js';
import type { CaseReference } from '../cases/reference.js';
import type { EscalationPolicy } from '../policy/index.js';
import { keptByView, QUEUE_PAGE, type QueuePage, type QueueQuery, queueRequestFor, type QueueRow, queueRow } from './queue.js';

export interface QueueReading {
  readonly cases: CaseStore;
  readonly policy: EscalationPolicy;
  readonly now: Date;
}

/** Cases read at once when a view filters what it reads. */
const BATCH = 500;

/** The most rows a CSV export of a view holds. */
export const QUEUE_EXPORT_LIMIT = 100_000;

async function read(cases: CaseStore, references: readonly CaseReference[]): Promise<Case[]> {
  const stored = await Promise.all(references.map((reference) => cases.get(reference)));
  return stored.flatMap((each) => (each ? [each.case] : []));
}

/** Every case of a view that its own rules keep, in queue order, up to `QUEUE_EXPORT_LIMIT`. */
async function filtered(request: Omit<QueueRequest, 'offset' | 'limit'>, query: QueueQuery, reading: QueueReading): Promise<Case[]> {
  const kept: Case[] = [];
  for (let offset = 0; ; offset += BATCH) {
    const slice = await reading.cases.queue({ ...request, offset, limit: BATCH });
    kept.push(
      ...(
        await read(
          reading.cases,
          slice.entries.map((entry) => entry.reference),
        )
      ).filter((value) => keptByView(value, query)),
    );
    if (offset + BATCH >= slice.total || kept.length >= QUEUE_EXPORT_LIMIT) return kept.slice(0, QUEUE_EXPORT_LIMIT);
  }
}

/** A page of a view. A page past the last shows the last. */
export async function readQueuePage(query: QueueQuery, staffId: string, reading: QueueReading): Promise<QueuePage> {
  const request = queueRequestFor(query, staffId, reading.policy, reading.now);
  const rowsOf = (cases: readonly Case[]): QueueRow[] => cases.map((value) => queueRow(value, reading.policy, reading.now));
  if (query.view === 'awaiting-decision') {
    const kept = await filtered(request, query, reading);
    const pages = Math.max(1, Math.ceil(kept.length / QUEUE_PAGE));
    const page = Math.min(query.page, pages);
    return { view: query.view, page, pages, total: kept.length, rows: rowsOf(kept.slice((page - 1) * QUEUE_PAGE, page * QUEUE_PAGE)) };
  }
  let page = query.page;
  let slice = await reading.cases.queue({ ...request, offset: (page - 1) * QUEUE_PAGE, limit: QUEUE_PAGE });
  const pages = Math.max(1, Math.ceil(slice.total / QUEUE_PAGE));
  if (page > pages) {
    page = pages;
    slice = await reading.cases.queue({ ...request, offset: (page - 1) * QUEUE_PAGE, limit: QUEUE_PAGE });
  }
  return {
    view: query.view,
    page,
    pages,
    total: slice.total,
    rows: rowsOf(
      await read(
        reading.cases,
        slice.entries.map((entry) => entry.reference),
      ),
    ),
  };
}

/** Every row of a view, in queue order (for its CSV export), up to `QUEUE_EXPORT_LIMIT`. */
export async function readQueueRows(query: QueueQuery, staffId: string, reading: QueueReading): Promise<QueueRow[]> {
  const cases = await filtered(queueRequestFor(query, staffId, reading.policy, reading.now), query, reading);
  return cases.map((value) => queueRow(value, reading.policy, reading.now));
}
