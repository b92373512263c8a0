/**
 * A post in a case's thread whose content is for staff only (the complainant's words): everyone
 * in the channel sees that there is something, and what, never the words; staff on the roster
 * see the content in its place as their own view (Teams refreshes it for them, at most 60 by
 * their Teams user ids), and "Show" answers staff with it and anyone else with this again.
 */
import { type AdaptiveCard, execute, textBlock } from './adaptive-card.js';
import { MAX_REFRESH_USERS } from './case-summary-card.js';

/** What "Show" asks the bot for: the action's verb and data, naming the content without carrying it. */
export interface Reveal {
  readonly verb: 'reveal';
  readonly data: { readonly reference: string; readonly what: 'complainant-words'; readonly at: string };
}

export function staffOnlyCard(heading: string, reveal: Reveal, staffTeamsIds: readonly string[]): AdaptiveCard {
  const action = execute('Show', reveal.verb, reveal.data);
  return {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [
      textBlock(heading, { weight: 'Bolder' }),
      textBlock('For the complaints team only: staff see it here in place of this line, or with “Show”.', { isSubtle: true, size: 'Small' }),
    ],
    actions: [action],
    refresh: { action, userIds: [...new Set(staffTeamsIds)].slice(0, MAX_REFRESH_USERS) },
  };
}
