/**
 * After the bank-holiday calendar changes (`npm run calendar:update` and a restart), every case
 * still counting down a deadline has it counted again under the new calendar
 * (`recountDeadlines`), and every case waiting for a moment is put back in the wake index at the
 * time the new calendar gives. Then staff are told, in one post, which cases moved.
 *
 * It runs once per calendar version across instances (a BullMQ job named by the version; in one
 * process without Redis). A process killed part-way leaves the job to another instance, which
 * starts again from the top: each case's change is keyed by the version, so none is made twice,
 * and the cases already moved are carried in the job's progress (saved every few cases: a crash
 * can leave the last few out of the post, never out of the recount), so the post names them.
 */
import type { CaseStore } from '../cases/case-store.js';
import { CaseConflict, StorageUnavailable } from '../cases/errors.js';
import { ATTEMPTS } from './timekeeper.js';
import type { CaseReference } from '../cases/reference.js';
import { recountDeadlines } from '../cases/transitions/recount-deadlines.js';
import type { EscalationPolicy } from '../policy/index.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';

/** What staff are told when the calendar changed: the versions, and the cases whose dates moved. */
export interface CalendarNotice {
  /** `calendar-<version>`: one post per calendar version. */
  readonly id: string;
  readonly version: string;
  /** The cases whose dates moved: the first `CALENDAR_NOTICE_NAMES` of them by name. */
  readonly moved: readonly string[];
  /** How many moved in all. */
  readonly movedCount: number;
  /** Cases that could not be counted again (each said in the log); staff should look at them. */
  readonly failed: readonly string[];
}

/** How many moved cases the post names (a new bank holiday can move nearly every open case). */
export const CALENDAR_NOTICE_NAMES = 50;
/** How often the cases moved so far are saved as the job's progress. */
const PROGRESS_EVERY = 25;

export interface CalendarChangeDeps {
  readonly cases: CaseStore;
  readonly policy: EscalationPolicy;
  readonly clock: Clock;
  readonly log: Logger;
  readonly notices: { raiseCalendarNotice(notice: CalendarNotice): Promise<void> };
}

/** The statuses whose dates or moments a calendar can move. */
const AFFECTED = ['open', 'awaiting-response', 'escalation-requested', 'responded'] as const;
/** Cases read per status: every one (the job runs once per calendar, not on a request's path). */
const ALL = 10_000_000;

/**
 * Counts every affected case again; `movedBefore` are the cases an earlier attempt moved, and
 * `onMoved` is told each case this one moves, before the next is started (so a retry knows).
 */
export async function recountOpenCases(
  deps: CalendarChangeDeps,
  movedBefore: readonly string[],
  onMoved: (moved: readonly string[]) => Promise<void>,
): Promise<{ readonly checked: number; readonly moved: readonly string[]; readonly failed: readonly string[] }> {
  const version = deps.policy.calendar.version;
  const moved = new Set(movedBefore);
  const failed: string[] = [];
  let checked = 0;
  let unsaved = 0;
  for (const status of AFFECTED) {
    for (const reference of await deps.cases.listByStatus(status, { limit: ALL })) {
      checked += 1;
      try {
        if (!(await recountOne(deps, reference, version))) continue;
      } catch (error) {
        // One case that cannot be counted must not stop the rest: it is named to staff instead.
        if (error instanceof StorageUnavailable) throw error;
        deps.log.error('timeline.calendar-case-failed', { error: error instanceof Error ? error.name : 'unknown' });
        failed.push(reference);
        continue;
      }
      moved.add(reference);
      unsaved += 1;
      // Saved now and then, not after every case: the list can run to thousands.
      if (unsaved >= PROGRESS_EVERY) {
        await onMoved([...moved]);
        unsaved = 0;
      }
    }
  }
  await onMoved([...moved]);
  const names = [...moved].sort();
  await deps.notices.raiseCalendarNotice({
    id: `calendar-${version}`,
    version,
    moved: names.slice(0, CALENDAR_NOTICE_NAMES),
    movedCount: names.length,
    failed: failed.slice(0, CALENDAR_NOTICE_NAMES),
  });
  deps.log.info('timeline.calendar-recounted', { version, checked, moved: moved.size, failed: failed.length });
  return { checked, moved: names, failed };
}

/** Recounts one case; answers whether its dates moved. */
async function recountOne(deps: CalendarChangeDeps, reference: CaseReference, version: string): Promise<boolean> {
  for (let attempt = 1; ; attempt += 1) {
    const stored = await deps.cases.get(reference);
    if (!stored) return false;
    const change = recountDeadlines(stored.case, { policy: deps.policy, now: deps.clock.now() });
    if (!change) {
      // Nothing it owes moved, but its moments may have (a window counted in working days).
      await deps.cases.reschedule(stored);
      return false;
    }
    try {
      const result = await deps.cases.update(stored, { ...change, idempotencyKey: `calendar:${version}` });
      return result.applied;
    } catch (error) {
      if (!(error instanceof CaseConflict) || attempt >= ATTEMPTS) throw error;
    }
  }
}
