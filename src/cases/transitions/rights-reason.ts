/**
 * The reason recorded for an action under data protection rights (a correction, an erasure). It
 * is kept in the case's history and in the rights audit after the personal data are gone, so it
 * must say why without saying who: one holding an email address or a phone number is refused.
 */
import { readContactDetails } from '../contact-details.js';
import { type Refusal, refuse } from './transition.js';

/** The longest reason kept. */
export const REASON_MAX = 500;

/** The reason as kept, or why it cannot be. */
export function checkedReason(text: string): { readonly reason: string } | Refusal {
  const reason = text.trim().replace(/\s+/g, ' ');
  if (reason === '') return refuse('no-reason', 'Please give a reason: it is kept with the record of what was done.');
  if (reason.length > REASON_MAX) return refuse('no-reason', `Please keep the reason to ${String(REASON_MAX)} characters.`);
  const found = readContactDetails(reason);
  if (found.email !== null || found.phone !== null) {
    return refuse('personal-data-in-reason', 'The reason is kept after the personal data are gone, so please leave out email addresses and phone numbers.');
  }
  return { reason };
}
