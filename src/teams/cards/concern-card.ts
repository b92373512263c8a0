/**
 * A safeguarding concern raised in the public chat before there is a case: posted to the channel
 * at once so the safeguarding procedure can start. Everyone in the team reads the channel, so the
 * post says only that there is a concern and when; what was said (perhaps a child's name) is for
 * staff, who see it in the post's place (their own view, refreshed for up to 60 of them) or with
 * "Show".
 */
import { dateInZone, type EscalationPolicy, formatLongDate } from '../../policy/index.js';
import { type AdaptiveCard, CARD_VERSION, execute, type CardElement, textBlock } from './adaptive-card.js';
import { shorten } from './case-card.js';
import { MAX_REFRESH_USERS } from './case-summary-card.js';

/** The verb of "Show" on a concern's post. */
export const CONCERN_VERB = 'concern';

/** What "Show" on a concern's post asks the bot for: the concern by its id, never its words. */
export interface ConcernReveal {
  readonly verb: typeof CONCERN_VERB;
  readonly data: { readonly id: string };
}

function heading(raisedAt: string, policy: EscalationPolicy): CardElement[] {
  return [
    {
      type: 'Container',
      style: 'attention',
      items: [textBlock('SAFEGUARDING CONCERN in the public chat (no complaint yet)', { weight: 'Bolder', color: 'Attention', size: 'Medium' })],
    },
    textBlock(
      `Said on ${formatLongDate(dateInZone(new Date(raisedAt), policy.calendar.timeZone))}. The person was given the emergency and safeguarding ` +
        `numbers. Follow the safeguarding procedure now. If they go on to make a complaint, its card will carry this too.`,
    ),
  ];
}

/** The post everyone in the channel sees: that there is a concern, not what was said. */
export function concernCard(
  concern: { readonly id: string; readonly raisedAt: string },
  policy: EscalationPolicy,
  staffTeamsIds: readonly string[],
): AdaptiveCard {
  const reveal: ConcernReveal = { verb: 'concern', data: { id: concern.id } };
  const action = execute('Show', reveal.verb, reveal.data);
  return {
    type: 'AdaptiveCard',
    version: CARD_VERSION,
    body: [
      ...heading(concern.raisedAt, policy),
      textBlock('What was said is for the complaints team only: staff see it here in place of this line, or with “Show”.', { isSubtle: true, size: 'Small' }),
    ],
    actions: [action],
    refresh: { action, userIds: [...new Set(staffTeamsIds)].slice(0, MAX_REFRESH_USERS) },
  };
}

/** The same post as staff see it: with what was said, shown literally. */
export function concernWordsCard(concern: { readonly note: string; readonly raisedAt: string }, policy: EscalationPolicy): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    version: CARD_VERSION,
    body: [...heading(concern.raisedAt, policy), { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: `“${shorten(concern.note, 1000)}”` }] }],
  };
}
