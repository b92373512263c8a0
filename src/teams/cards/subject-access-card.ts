/**
 * The answer to "Subject access export" on a case card, shown only to the member of staff who
 * asked (it answers their own action): a link that opens the export once, for a few minutes,
 * and the way back to the case. Nothing personal is on the card itself.
 */
import { formatReference } from '../../cases/reference.js';
import type { CaseReference } from '../../cases/reference.js';
import { EXPORT_TICKET_MS } from '../../rights/export-tickets.js';
import { type AdaptiveCard, CARD_VERSION, execute, textBlock } from './adaptive-card.js';

export function subjectAccessCard(reference: CaseReference, url: string): AdaptiveCard {
  const minutes = String(Math.round(EXPORT_TICKET_MS / 60_000));
  return {
    type: 'AdaptiveCard',
    version: CARD_VERSION,
    body: [
      textBlock(`Subject access export for complaint ${formatReference(reference)}`, { weight: 'Bolder' }),
      textBlock(
        'The link opens everything the complaints service holds about this person, as a readable page with the same data as JSON. ' +
          `It works once, for ${minutes} minutes; opening it is recorded in the rights audit. ` +
          'Check the rows marked for other people’s information before you release it.',
      ),
    ],
    actions: [{ type: 'Action.OpenUrl', title: 'Open the export', url }, execute('Back to the case', 'refresh', { reference })],
  };
}
