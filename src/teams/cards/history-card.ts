/**
 * A case's whole history for staff, a page at a time, newest first, each entry with its London
 * date and time, who and what (the words in TextRuns, shown literally). Reached from the full
 * card's "Whole history"; "Back to the case" returns to the full card.
 */
import type { Case, CaseEvent } from '../../cases/case.js';
import { formatReference } from '../../cases/reference.js';
import { type AdaptiveCard, execute, type TextRun } from './adaptive-card.js';
import { historyLine } from './case-card.js';

/** Entries a page shows: enough to read, little enough to stay inside Teams' card size. */
export const HISTORY_PAGE = 20;

/** The longest an entry's words are shown on a page (the card's size limit). */
const WORDS = 600;

export function historyCard(value: Case, history: readonly CaseEvent[], page: number): AdaptiveCard {
  const pages = Math.max(1, Math.ceil(history.length / HISTORY_PAGE));
  const shown = Math.min(Math.max(1, page), pages);
  const newestFirst = [...history].reverse().slice((shown - 1) * HISTORY_PAGE, shown * HISTORY_PAGE);
  const data = (to: number) => ({ reference: value.reference, page: String(to) });
  return {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: `Complaint ${formatReference(value.reference)}: history`, size: 'Large', weight: 'Bolder', wrap: true },
      {
        type: 'TextBlock',
        text: `${String(history.length)} entries, newest first. Page ${String(shown)} of ${String(pages)}.`,
        isSubtle: true,
        wrap: true,
      },
      {
        type: 'RichTextBlock',
        inlines: newestFirst.map((event, index): TextRun => ({ type: 'TextRun', text: `${index === 0 ? '' : '\n\n'}${historyLine(event, WORDS)}` })),
      },
    ],
    actions: [
      ...(shown > 1 ? [execute('Newer', 'history', data(shown - 1))] : []),
      ...(shown < pages ? [execute('Older', 'history', data(shown + 1))] : []),
      execute('Back to the case', 'refresh', { reference: value.reference }),
    ],
  };
}
