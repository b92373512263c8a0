/**
 * The post telling staff that the bank-holiday calendar changed and which cases' dates moved
 * with it, each linked to its thread; each case's own history and card say from what to what.
 */
import type { Case } from '../cases/case.js';
import { type CaseReference, formatReference } from '../cases/reference.js';
import type { AdaptiveCard } from './case-card.js';
import { threadLink } from './digest-card.js';

/** A case whose dates moved, and its thread where it has one. */
export interface MovedCase {
  readonly reference: CaseReference;
  readonly thread: Case['teamsThread'];
}

export function calendarChangeCard(version: string, moved: readonly MovedCase[]): AdaptiveCard {
  const lines = moved.map((entry) => {
    const reference = formatReference(entry.reference);
    return { type: 'TextBlock', text: entry.thread ? `[${reference}](${threadLink(entry.thread)})` : reference, wrap: true, spacing: 'Small' };
  });
  return {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: 'The bank holiday calendar changed', weight: 'Bolder', size: 'Medium', wrap: true },
      {
        type: 'TextBlock',
        text:
          moved.length === 0
            ? `Every open case was counted again under the new calendar (${version}); no date moved.`
            : `Every open case was counted again under the new calendar (${version}). The dates of these ${String(moved.length)} moved; each ` +
              'case’s history and card say from what to what, and complainants were told their new response date:',
        wrap: true,
      },
      ...lines,
    ],
  };
}
