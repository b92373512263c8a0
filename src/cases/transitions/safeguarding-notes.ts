/**
 * Safeguarding notes as a case and a conversation keep them: when the first was raised and the
 * words of each, the first ones only once there are many (staff were told of each as it came).
 */
import { SAFEGUARDING_NOTES } from '../case.js';

/** Words suggesting someone may be at risk, and when the first of them was said. */
export interface SafeguardingNotes {
  raisedAt: string;
  notes: string[];
}

/** Adds a note to a set of notes (keeping the first ones when there are too many). */
export function withNote(notes: SafeguardingNotes | null | undefined, note: string, at: string): SafeguardingNotes {
  if (!notes) return { raisedAt: at, notes: [note] };
  return { raisedAt: notes.raisedAt, notes: notes.notes.length >= SAFEGUARDING_NOTES ? notes.notes : [...notes.notes, note] };
}
