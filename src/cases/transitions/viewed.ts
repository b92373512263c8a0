/**
 * A member of staff opened a case's full details in Teams (its card, refreshed for them, or
 * "Show details"): recorded in the history, since who read a complaint's personal data is part
 * of its record. Nothing else changes, and nothing is caused: no card update, no message.
 *
 * @example
 * const result = viewed(value, { now, staff: { id: 'entra-1', name: 'Jo Patel' } });
 * result.event.summary; // 'Full details opened by Jo Patel'
 */
import type { Case } from '../case.js';
import type { StaffMemberRef } from './staff-change.js';
import { type CaseTransition, draftOf } from './transition.js';

/** Records that `staff` opened the full details. */
export function viewed(current: Case, context: { readonly now: Date; readonly staff: StaffMemberRef }): CaseTransition {
  const next = draftOf(current, context.now);
  return {
    next,
    event: {
      type: 'viewed',
      at: next.updatedAt,
      actor: { kind: 'staff', id: context.staff.id, name: context.staff.name },
      summary: `Full details opened by ${context.staff.name}`,
    },
    events: [],
  };
}

/**
 * The idempotency key of a view: one record per person per case per hour, however often Teams
 * refreshes their card (it does each time they look at the thread).
 */
export function viewKey(staffId: string, now: Date): string {
  return `view:${staffId}:${String(Math.floor(now.getTime() / 3_600_000))}`;
}
