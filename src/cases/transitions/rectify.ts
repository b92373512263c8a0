/**
 * Rectification (UK GDPR Art 16): staff correct a name, an email address or a phone number the
 * person says is wrong. The history records which fields were corrected and why, never the old
 * values (keeping them would keep what was wrong). A corrected email or phone also changes what
 * unlocks the case and where a subject access request finds it: the store does both with the
 * change.
 *
 * @example
 * const result = rectify(value, { email: 'right@example.org', reason: 'Typo at lodging, confirmed by phone' }, context);
 * if (!isRefusal(result)) result.event.details; // { fields: ['email'], reason: '...' }
 */
import { z } from 'zod';
import type { Case } from '../case.js';
import { readContactDetails } from '../contact-details.js';
import { checkedReason } from './rights-reason.js';
import { type StaffContext, staffDraft, type StaffTransition } from './staff-change.js';
import { isRefusal, type Refusal, refuse } from './transition.js';

/** What to correct: a field left out stays as it is; null takes a contact detail away. */
export interface RectifyRequest {
  readonly name?: string;
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly reason: string;
}

/** The fields a correction can touch, in the order the history names them. */
export type RectifiedField = 'name' | 'email' | 'phone';

const emailSchema = z.email().max(320);

/** Corrects the complainant's name or contact details. */
/** A correction decided, with the fields it corrects (for the rights audit). */
export interface Rectification extends StaffTransition {
  readonly fields: readonly RectifiedField[];
}

export function rectify(current: Case, request: RectifyRequest, context: Pick<StaffContext, 'policy' | 'now' | 'staff'>): Rectification | Refusal {
  if (current.erased) return refuse('already-erased', 'The personal data in this case were erased; there is nothing left to correct.');
  const reason = checkedReason(request.reason);
  if (isRefusal(reason)) return reason;
  const name = request.name === undefined ? current.complainant.name : request.name.trim();
  if (name === '' || name.length > 200) return refuse('invalid-detail', 'Please give the name as the person wants it recorded (up to 200 characters).');
  let email = current.contact.email;
  if (request.email !== undefined) {
    email = request.email === null ? null : request.email.trim();
    if (email !== null && !emailSchema.safeParse(email).success) return refuse('invalid-detail', `${email} is not a complete email address.`);
  }
  let phone = current.contact.phone;
  if (request.phone !== undefined && request.phone !== null) {
    const read = readContactDetails(request.phone);
    if (read.phone === null || read.email !== null) return refuse('invalid-detail', read.problems[0] ?? `${request.phone.trim()} is not a UK phone number.`);
    phone = read.phone;
  } else if (request.phone === null) {
    phone = null;
  }
  const fields: RectifiedField[] = [];
  if (name !== current.complainant.name) fields.push('name');
  if (email !== current.contact.email) fields.push('email');
  if (phone !== current.contact.phone) fields.push('phone');
  if (fields.length === 0) return refuse('nothing-to-correct', 'Those are the details the case already holds.');
  const hadContact = current.contact.email !== null || current.contact.phone !== null;
  if (hadContact && email === null && phone === null) {
    return refuse(
      'no-contact-left',
      'The case would be left with no way to reach the person or for them to look it up; correct a detail rather than remove both.',
    );
  }
  const draft = staffDraft(current, context);
  draft.next.complainant.name = name;
  const { preferred } = current.contact;
  draft.next.contact = {
    email,
    phone,
    // A preference for a detail taken away falls to the one left, or to the chat.
    preferred:
      preferred === 'email' && email === null ? (phone ? 'phone' : 'chat') : preferred === 'phone' && phone === null ? (email ? 'email' : 'chat') : preferred,
  };
  return {
    ...draft.finish(
      draft.event('rectified', `Details corrected at the person's request: ${fields.join(', ')}`, { fields, reason: reason.reason }),
      `Corrected: ${fields.join(', ')}.`,
    ),
    fields,
  };
}
