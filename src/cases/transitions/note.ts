/**
 * An internal note on a case, from its card or its thread: kept in the history for staff, never
 * shown to the complainant, and allowed whatever the case's status. Colleagues talking in a
 * case's Teams thread (anything not addressed to the bot) is kept the same way, as discussion.
 *
 * @example
 * const result = note(value, { text: 'Spoke to the school' }, context);
 * result.event.type; // 'note'
 */
import type { Case } from '../case.js';
import { type StaffContext, staffDraft, type StaffTransition } from './staff-change.js';

/** The note. */
export interface NoteRequest {
  readonly text: string;
}

/** Adds an internal note. */
export function note(current: Case, request: NoteRequest, context: Pick<StaffContext, 'policy' | 'now' | 'staff'>): StaffTransition {
  const draft = staffDraft(current, context);
  return draft.finish(draft.event('note', 'Internal note', { text: request.text }), 'Note added (internal).');
}

/** Keeps a colleague's message in the case's Teams thread, which was not addressed to the complainant. */
export function discussion(current: Case, request: NoteRequest, context: Pick<StaffContext, 'policy' | 'now' | 'staff'>): StaffTransition {
  const draft = staffDraft(current, context);
  return draft.finish(draft.event('discussion', 'Discussion in the Teams thread (not sent to the complainant)', { text: request.text }), 'Kept as discussion.');
}
