/**
 * The post telling staff that the bank-holiday calendar changed and which cases' dates moved
 * with it, each linked to its thread; each case's own history and card say from what to what.
 */
import type { Case } from '../../cases/case.js';
import { type CaseReference, formatReference, isCaseReference } from '../../cases/reference.js';
import { type AdaptiveCard, textBlock } from './adaptive-card.js';
import { threadLink } from '../thread-link.js';

/** A case whose dates moved, and its thread where it has one. */
export interface MovedCase {
  readonly reference: CaseReference;
  readonly thread: Case['teamsThread'];
}

/** A reference as people read it (a damaged one as it is). */
function readable(reference: string): string {
  return isCaseReference(reference) ? formatReference(reference) : reference;
}

export function calendarChangeCard(version: string, moved: readonly MovedCase[], movedCount: number, failed: readonly string[]): AdaptiveCard {
  const lines = moved.map((entry) => {
    const reference = formatReference(entry.reference);
    return textBlock(entry.thread ? `[${reference}](${threadLink(entry.thread)})` : reference, { spacing: 'Small' });
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
            : `Every open case was counted again under the new calendar (${version}). The dates of ${String(movedCount)} moved; each ` +
              'case’s history and card say from what to what, and complainants were told their new response date:',
        wrap: true,
      },
      ...lines,
      ...(movedCount > moved.length ? [textBlock(`and ${String(movedCount - moved.length)} more (each case's history says so).`, { spacing: 'Small' })] : []),
      ...(failed.length > 0
        ? [
            textBlock(`These could not be counted again and need a look (their dates are as before): ${failed.map(readable).join(', ')}`, {
              color: 'Attention',
            }),
          ]
        : []),
    ],
  };
}
