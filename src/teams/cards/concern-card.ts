/**
 * A safeguarding concern raised in the public chat before there is a case: posted to the channel
 * at once, with what was said, so the safeguarding procedure can start.
 */
import { dateInZone, type EscalationPolicy, formatLongDate } from '../../policy/index.js';
import { type AdaptiveCard, CARD_VERSION, textBlock } from './adaptive-card.js';
import { shorten } from './case-card.js';

/** The card for a safeguarding concern raised before there is a case. */
export function concernCard(note: string, raisedAt: string, policy: EscalationPolicy): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    version: CARD_VERSION,
    body: [
      {
        type: 'Container',
        style: 'attention',
        items: [textBlock('SAFEGUARDING CONCERN in the public chat (no complaint yet)', { weight: 'Bolder', color: 'Attention', size: 'Medium' })],
      },
      textBlock(
        `Said on ${formatLongDate(dateInZone(new Date(raisedAt), policy.calendar.timeZone))}. The person was given the emergency and safeguarding ` +
          `numbers. Follow the safeguarding procedure now. If they go on to make a complaint, its card will carry this too.`,
      ),
      { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: `“${shorten(note, 1000)}”` }] },
    ],
  };
}
