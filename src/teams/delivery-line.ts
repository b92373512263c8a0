/**
 * The status line in a case's thread about a message for the complainant: one line, updated as
 * things happen (sent to their chat, seen, kept for their next visit, emailed, texted), so staff
 * know what the complainant has actually seen without a reply for each step.
 */
import type { DeliveryStep } from '../ports/case-notifier.js';

const TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' });

const WORDS: Record<DeliveryStep['state'], string> = {
  sent: 'Sent to the complainant’s chat',
  seen: 'seen by them',
  kept: 'their chat could not be reached, so it is kept and shown when they next use the chat or look up their complaint',
  unseen: 'not seen in time, so it is kept for their next visit',
  emailed: 'emailed to tell them there is a message',
  texted: 'texted to tell them there is a message',
};

/**
 * The line for a message's steps so far.
 * @example deliveryStatusLine([{ state: 'sent', at }, { state: 'seen', at: later }]) // 'Sent to the complainant’s chat (10:02); seen by them (10:05).'
 */
export function deliveryStatusLine(steps: readonly DeliveryStep[]): string {
  const parts = steps.map((step) => `${WORDS[step.state]} (${TIME.format(new Date(step.at))})`);
  const line = parts.join('; ');
  const shown = line.charAt(0).toUpperCase() + line.slice(1);
  const waiting = steps.length > 0 && steps.every((step) => step.state === 'sent') ? ', not yet seen' : '';
  return `${shown}${waiting}.`;
}
