/**
 * A short card of someone's words, literally (TextRuns: no Markdown, links or mentions can be
 * smuggled in), under a heading of ours: shown to staff (the complainant's words, revealed).
 */
import { type AdaptiveCard, CARD_VERSION, textBlock } from './adaptive-card.js';
import { shorten } from './case-card.js';

export function messageCard(heading: string, text: string): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    version: CARD_VERSION,
    body: [textBlock(heading, { weight: 'Bolder' }), { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: shorten(text, 5000) }] }],
  };
}
